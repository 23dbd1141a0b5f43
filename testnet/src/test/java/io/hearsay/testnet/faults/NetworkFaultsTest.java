package io.hearsay.testnet.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.transport.LinkFaults.Rule;
import io.hearsay.peer.transport.TransportCounters.Counter;
import io.hearsay.testnet.loopback.LoopbackNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network-wide faults on a real loopback network of two organisations with two peers each (full mesh, mutual TLS,
 * RocksDB): the rules each peer gets from partitions, loss, latency and clogs stated by names; a partitioned
 * organisation falls behind and catches up once healed; and a scenario file run by the {@link ScenarioRunner} on
 * the system clock — load, a killed peer, a partitioned organisation, restart, heal — ends with every peer on one
 * chain.
 */
class NetworkFaultsTest {
    @TempDir
    Path directory;
    private LoopbackNetwork network;
    private NetworkFaults faults;
    private LoopbackFaultTarget target;
    private String org1Peer0;
    private String org1Peer1;
    private String org2Peer0;
    private String org2Peer1;

    @BeforeEach
    void start() {
        network = new LoopbackNetwork(directory, 2, i -> GossipPeer.Settings.lan("peer" + i), LoopbackNetwork.Topology.fullMesh(),
                BlockGossipListener.NONE).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> IntStream.range(0, 4)
                .allMatch(i -> network.peer(i).network().connectedPeers().size() == 3));
        faults = new NetworkFaults(42);
        target = new LoopbackFaultTarget(network, faults);
        org1Peer0 = network.name(0);
        org1Peer1 = network.name(1);
        org2Peer0 = network.name(2);
        org2Peer1 = network.name(3);
    }

    @AfterEach
    void close() {
        target.close();
        network.close();
    }

    @Test
    void rulesFollowTheNamedFaults() {
        faults.partition(List.of(Set.of("Org1MSP")));
        assertThat(faults.rule(org1Peer0, org2Peer0).blocked()).isTrue();
        assertThat(faults.rule(org2Peer1, org1Peer1).blocked()).as("both directions").isTrue();
        assertThat(faults.rule(org1Peer0, org1Peer1).blocked()).isFalse();
        assertThat(faults.rule(org2Peer0, org2Peer1).blocked()).as("the unnamed peers form one group").isFalse();

        faults.loss(LinkSelector.ALL, 0.1);
        faults.loss(new LinkSelector(org1Peer0, "Org2MSP"), 0.5);
        assertThat(faults.rule(org1Peer0, org2Peer1).lossRate()).as("a later step replaces an earlier one").isEqualTo(0.5);
        assertThat(faults.rule(org2Peer1, org1Peer0).lossRate()).isEqualTo(0.5);
        assertThat(faults.rule(org1Peer1, org2Peer1).lossRate()).isEqualTo(0.1);

        faults.latency(LinkSelector.of(org2Peer0), Duration.ofMillis(40), Duration.ofMillis(5));
        assertThat(faults.rule(org1Peer1, org2Peer0)).isEqualTo(new Rule(0.1, 40, 5, true, false));
        assertThat(faults.rule(org1Peer1, org1Peer0).latencyMillis()).isZero();

        faults.clog(org2Peer1);
        assertThat(faults.rule(org2Peer1, org2Peer0).clogged()).isTrue();
        assertThat(faults.rule(org1Peer0, org2Peer1).clogged()).as("held by its senders too").isTrue();
        assertThat(faults.rule(org1Peer0, org1Peer1).clogged()).isFalse();
        faults.unclog(org2Peer1);
        assertThat(faults.rule(org2Peer1, org2Peer0).clogged()).isFalse();

        // The rules are what each peer's transport actually applies.
        assertThat(network.peer(0).network().faults().orElseThrow().effective(network.id(2)))
                .isEqualTo(faults.rule(org1Peer0, org2Peer0));

        faults.heal();
        assertThat(faults.rule(org1Peer0, org2Peer0)).isEqualTo(Rule.NONE);
        assertThatThrownBy(() -> faults.clog("peer7.org9.example.com")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no peer \"peer7.org9.example.com\"");
        assertThatThrownBy(() -> faults.partition(List.of(Set.of("Org9MSP")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"Org9MSP\" is neither a peer nor an organisation");
    }

    @Test
    void aPartitionedOrganisationFallsBehindAndCatchesUpWhenHealed() {
        faults.partition(List.of(Set.of("Org2MSP")));
        target.load(50);
        await().atMost(Duration.ofSeconds(10)).until(() -> target.blocks() >= 10);
        target.load(0);
        long produced = target.blocks() + 1;
        await().atMost(Duration.ofSeconds(10)).until(() -> network.peer(1).height() == produced);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> network.peer(2).height() == 1 && network.peer(3).height() == 1);
        long dropped = IntStream.range(0, 4).mapToLong(i -> network.peer(i).transportCounters().get(Counter.FAULT_DROPPED)).sum();
        assertThat(dropped).as("envelopes the partition dropped").isGreaterThan(0);

        faults.heal();
        assertThat(target.awaitConvergence(Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void aScenarioFileRunsAgainstTheNetworkAndEndsConverged() throws InterruptedException {
        Scenario scenario = Scenario.parse("loopback", """
                seed: 42
                steps:
                  - {at: 0s,    load: {tps: 20}}
                  - {at: 500ms, kill: %s}
                  - {at: 1s,    partition: [[Org2MSP]]}
                  - {at: 1s,    latency: {link: "*", delay: 5ms, jitter: 5ms}}
                  - {at: 1500ms, loss: {link: [Org1MSP, Org1MSP], rate: 0.2}}
                  - {at: 2500ms, clog: %s}
                  - {at: 3s,    heal: true}
                  - {at: 3s,    restart: %s}
                  - {at: 4s,    load: off}
                  - {at: 4s,    converge: {timeout: 30s}}
                """.formatted(org1Peer1, org2Peer1, org1Peer1));
        scenario.checkNames(Set.of(org1Peer0, org1Peer1, org2Peer0, org2Peer1), Set.of("Org1MSP", "Org2MSP"));

        ScenarioReport report = new ScenarioRunner(target, ScenarioClock.system()).run(scenario);

        assertThat(report.passed()).as(report.describe()).isTrue();
        assertThat(target.blocks()).as("blocks produced under load").isGreaterThan(40);
        assertThat(target.converged()).isTrue();
        assertThat(network.heights()).containsOnly(target.blocks() + 1L);
        long dropped = IntStream.range(0, 4).mapToLong(i -> network.peer(i).transportCounters().get(Counter.FAULT_DROPPED)).sum();
        assertThat(dropped).as("envelopes dropped by the partition and the loss").isGreaterThan(0);
    }
}
