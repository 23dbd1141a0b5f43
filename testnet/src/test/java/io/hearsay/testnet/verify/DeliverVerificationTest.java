package io.hearsay.testnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeliverChainSource} end to end: the official Fabric Gateway SDK reads two peers' RocksDB ledgers over
 * mutual TLS as the connection profile's clients (through the node's real Deliver service, {@link
 * PeerDeliverServer}), with heights and state hashes from each peer's {@code /status} over HTTP. Agreeing peers pass;
 * a peer fed a fork fails at the fork's height.
 */
class DeliverVerificationTest {
    static final String ORG1_PEER = DeliverPeers.ORG1_PEER;
    static final String ORG2_PEER = DeliverPeers.ORG2_PEER;
    static final DeliverReadOptions TIMEOUTS = new DeliverReadOptions(Duration.ofSeconds(5), Duration.ofSeconds(30));

    @TempDir
    Path directory;
    DeliverPeers peers;
    VerifierNetwork network;

    @BeforeEach
    void start() throws Exception {
        peers = DeliverPeers.withCommonHistory(directory);
        network = peers.network;
    }

    @AfterEach
    void stop() throws InterruptedException {
        peers.close();
    }

    @Test
    void agreeingPeersReadThroughTheGatewaySdkPass() throws Exception {
        VerificationReport report = new ConsistencyVerifier().verify(
                DeliverChainSource.forProfile(peers.start(), "testchannel", TIMEOUTS));

        assertThat(report.findings()).isEmpty();
        assertThat(report.peers()).extracting(PeerSummary::peer).containsExactly(ORG1_PEER, ORG2_PEER);
        assertThat(report.peers()).allSatisfy(peer -> {
            assertThat(peer.height()).isEqualTo(3);
            assertThat(peer.bankTotal()).isEqualTo(BigInteger.valueOf(150));
            assertThat(peer.stateHash()).contains(HexFormat.of().formatHex(network.ledger(ORG1_PEER).stateHash()));
        });
    }

    @Test
    void aPeerWithoutAnOperationsUrlIsReadToItsHeightAskedOfDeliverWithoutAStateHash() throws Exception {
        network.commit(List.of(ORG2_PEER), network.channel.put("colour", "green")); // ORG2 one block ahead

        VerificationReport report = new ConsistencyVerifier().verify(DeliverChainSource.forProfile(
                DeliverPeers.withoutOperations(peers.start(), ORG2_PEER), "testchannel", TIMEOUTS));

        assertThat(report.peers()).extracting(PeerSummary::peer, PeerSummary::height)
                .containsExactly(tuple(ORG1_PEER, 3L), tuple(ORG2_PEER, 4L));
        assertThat(report.peers().get(0).stateHash()).isPresent();
        assertThat(report.peers().get(1).stateHash()).isEmpty();
        assertThat(report.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.check()).isEqualTo(Check.HEIGHT);
            assertThat(finding.peers()).containsExactly(ORG1_PEER);
        });
    }

    @Test
    void aForkedPeerReadThroughTheGatewaySdkFailsAtTheForkHeight() throws Exception {
        peers.fork();

        VerificationReport report = new ConsistencyVerifier().verify(
                DeliverChainSource.forProfile(peers.start(), "testchannel", TIMEOUTS));

        Finding first = report.firstDivergence().orElseThrow();
        assertThat(first.check()).isEqualTo(Check.FORK);
        assertThat(first.height()).isEqualTo(3);
        assertThat(first.detail()).contains(ORG1_PEER).contains(ORG2_PEER);
        assertThat(report.findings()).extracting(Finding::check).containsExactly(Check.FORK, Check.STATE_HASH);
        assertThat(report.exitCode()).isEqualTo(VerificationReport.EXIT_INCONSISTENT);
    }
}
