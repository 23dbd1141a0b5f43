package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.testnet.sim.ModelComparison.Model;
import io.hearsay.testnet.sim.ModelComparison.ModelResult;
import org.junit.jupiter.api.Test;

/**
 * The three network models at 1,000 peers on one seed show the trade-offs the design claims: with the index
 * server down every join fails in the central model; with one anchor down every join succeeds in the hybrid;
 * every hybrid routed send ends in exactly one definite outcome, pure gossip gives none; gossip reaches peers
 * in more hops than the hybrid. The same scenario gives the same table. Prints the table.
 */
class ModelComparisonTest {
    private static final long SEED = 2026;

    @Test
    void tradeOffsAtOneThousandPeers() {
        long start = System.nanoTime();
        ModelComparison.Result result = ModelComparison.run(ModelComparison.Scenario.defaults(SEED));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(result.table() + "\n(" + elapsedMillis + " ms)");

        ModelResult central = result.of(Model.CENTRAL);
        ModelResult gossip = result.of(Model.GOSSIP);
        ModelResult hybrid = result.of(Model.HYBRID);
        for (ModelResult model : result.models()) {
            assertThat(model.joinSuccessHealthy()).as("SEED=%d %s healthy joins", SEED, model.model()).isEqualTo(1.0);
            assertThat(model.sendsWithSeveralOutcomes()).as("SEED=%d %s: never two outcomes", SEED, model.model()).isZero();
        }
        assertThat(central.joinSuccessDuringFault()).as("SEED=%d central: joins fail while the index is down", SEED)
                .isZero();
        assertThat(hybrid.joinSuccessDuringFault()).as("SEED=%d hybrid: joins succeed with one anchor down", SEED)
                .isEqualTo(1.0);
        assertThat(gossip.joinSuccessDuringFault()).as("SEED=%d gossip: other bootstrap peers answer", SEED).isEqualTo(1.0);

        assertThat(hybrid.outcomeCertainty()).as("SEED=%d hybrid: every send has an outcome", SEED).isEqualTo(1.0);
        assertThat(hybrid.outcomeMillisMax()).as("SEED=%d hybrid: within hops × per-hop timeout", SEED)
                .isLessThanOrEqualTo(io.hearsay.discovery.routing.RoutingConfig.defaults().deadlineMillis());
        assertThat(hybrid.deliveredFraction()).as("SEED=%d hybrid: dual-homing carries sends past the dead anchor", SEED)
                .isGreaterThanOrEqualTo(0.97);
        assertThat(central.outcomeCertainty()).as("SEED=%d central: acks give outcomes", SEED).isEqualTo(1.0);
        assertThat(central.deliveredFraction()).as("SEED=%d central: no lookups without the index", SEED).isLessThan(0.2);
        assertThat(gossip.outcomeCertainty()).as("SEED=%d gossip: the sender never learns", SEED).isZero();
        assertThat(gossip.deliveredFraction()).as("SEED=%d gossip: the flood still reaches most targets", SEED)
                .isGreaterThan(0.9);

        // source → anchor → anchor → peer; one hop more where a message between two anchors was lost and a
        // third anchor passed the rumor on.
        assertThat(hybrid.healthy().hopsMax()).as("SEED=%d hybrid: source → anchor → anchor → peer", SEED)
                .isLessThanOrEqualTo(4);
        assertThat(gossip.healthy().hopsMax()).as("SEED=%d gossip takes O(log n) hops", SEED)
                .isGreaterThan(hybrid.healthy().hopsMax());
        assertThat(central.duringFault().residue()).as("SEED=%d central: without the index a rumor reaches few", SEED)
                .isGreaterThan(0.9);
        assertThat(hybrid.duringFault().residue()).as("SEED=%d hybrid: peers of the dead anchor have re-attached", SEED)
                .isLessThan(0.01);
    }

    @Test
    void sameSeedSameTable() {
        ModelComparison.Scenario scenario = ModelComparison.Scenario.defaults(SEED).withPeers(300);
        ModelComparison.Result first = ModelComparison.run(scenario);
        ModelComparison.Result second = ModelComparison.run(scenario);
        assertThat(second).as("SEED=%d twice", SEED).isEqualTo(first);
        assertThat(second.table()).isEqualTo(first.table());
    }
}
