package io.hearsay.gossip.item;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.identity.PkiId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rumor mongering stops by itself, leaves a residue that shrinks as k grows (Demers' trade-off), and with
 * feedback and counters reaches nearly everyone for k ≥ 3.
 */
class RumorMongerTest {
    private record Outcome(double residue, int rounds) {}

    private static Outcome spread(RumorPolicy policy, int k, int size, long seed) {
        RoundNetwork network = new RoundNetwork(size, seed);
        Map<PkiId, RumorMonger> peers = new LinkedHashMap<>();
        for (PkiId id : network.peers) {
            RumorMonger peer = new RumorMonger(new ItemStore(16), policy, k, 1, network.membershipOf(id),
                    network.random.fork(), network.transportOf(id), ItemListener.NONE);
            peers.put(id, peer);
            network.register(id, peer::onMessage);
        }
        peers.get(network.peers.get(0)).originate(new VersionedItem("x", 1, ByteString.EMPTY));
        for (int round = 1; round <= 500; round++) {
            network.round(id -> peers.get(id).onRound());
            if (peers.values().stream().noneMatch(RumorMonger::isSpreading)) {
                long missing = peers.values().stream().filter(p -> p.store().get("x").isEmpty()).count();
                return new Outcome((double) missing / size, round);
            }
        }
        throw new AssertionError("SEED=" + seed + ": rumor mongering did not stop within 500 rounds");
    }

    @Test
    void feedbackCounterResidueShrinksWithK() {
        double residueK1 = 0;
        double residueK4 = 0;
        for (long seed = 1; seed <= 10; seed++) {
            residueK1 += spread(RumorPolicy.FEEDBACK_COUNTER, 1, 500, seed).residue();
            residueK4 += spread(RumorPolicy.FEEDBACK_COUNTER, 4, 500, seed).residue();
        }
        // Demers' closed form s = e^{-(k+1)(1-s)}: k=1 → 0.20, k=4 → 0.007.
        assertThat(residueK1 / 10).as("mean residue k=1").isBetween(0.08, 0.35);
        assertThat(residueK4 / 10).as("mean residue k=4").isLessThan(0.03);
    }

    @Test
    void blindCoinAlsoTerminatesAndSpreadsWideForLargerK() {
        Outcome outcome = spread(RumorPolicy.BLIND_COIN, 5, 500, 3);
        assertThat(outcome.residue()).as("SEED=3").isLessThan(0.1);
        assertThat(outcome.rounds()).isLessThan(100);
    }
}
