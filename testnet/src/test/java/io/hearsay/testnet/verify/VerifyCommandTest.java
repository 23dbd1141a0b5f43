package io.hearsay.testnet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.testnet.cli.CliRun;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearsay verify} run as a user runs it, against two peers serving real ledgers through the node's Deliver
 * service ({@link DeliverPeers}): given the network's {@code connection.json}, or the same peers listed with
 * {@code --peer} and the client identity's files. A consistent network exits 0; a peer fed a fork (as in
 * {@link DeliverVerificationTest}) exits 1 naming the first divergent height and the peers. Lives beside the fixture
 * it shares with that test; {@link CliRun} runs the command in-process as the other CLI tests do.
 */
class VerifyCommandTest {
    static final String ORG1_PEER = DeliverPeers.ORG1_PEER;
    static final String ORG2_PEER = DeliverPeers.ORG2_PEER;

    @TempDir
    Path directory;
    DeliverPeers peers;

    @BeforeEach
    void start() throws Exception {
        peers = DeliverPeers.withCommonHistory(directory);
    }

    @AfterEach
    void stop() throws InterruptedException {
        peers.close();
    }

    @Test
    void aConsistentNetworkExitsZeroWithTheProfile() throws Exception {
        CliRun run = CliRun.of("verify", profileFile(peers.start()).toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("CONSISTENT: 2 peers agree on 3 blocks").doesNotContain("not checked");
    }

    @Test
    void aConsistentNetworkExitsZeroWithAPeerList() throws Exception {
        List<String> args = peerListArgs(peers.start(), true);

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("CONSISTENT: 2 peers agree on 3 blocks").doesNotContain("not checked");
    }

    @Test
    void aPeerListWithoutOperationsUrlsIsVerifiedAndSaysTheStateHashesWereNotChecked() throws Exception {
        List<String> args = peerListArgs(peers.start(), false);

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("CONSISTENT: 2 peers agree on 3 blocks")
                .contains("state hashes not checked on " + ORG1_PEER + ", " + ORG2_PEER + ": no operations URL");
    }

    @Test
    void aForkedPeerExitsOneNamingTheHeightAndThePeersWithTheProfile() throws Exception {
        peers.fork();

        CliRun run = CliRun.of("verify", profileFile(peers.start()).toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertForkReported(run);
    }

    @Test
    void aForkedPeerExitsOneNamingTheHeightAndThePeersWithAPeerList() throws Exception {
        peers.fork();
        List<String> args = peerListArgs(peers.start(), false);

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertForkReported(run);
    }

    @Test
    void theJsonReportOfAForkNamesTheFirstDivergence() throws Exception {
        peers.fork();

        CliRun run = CliRun.of("verify", "--json", profileFile(peers.start()).toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("\"firstDivergence\": {\n    \"check\": \"FORK\",\n    \"height\": 3,");
    }

    @Test
    void badPeerListOptionsAreUsageErrorsNamingTheOption() throws Exception {
        ConnectionProfile profile = peers.start();
        Path profileFile = profileFile(profile);
        List<String> valid = peerListArgs(profile, true);

        assertUsageError(CliRun.of("verify"), "give a connection PROFILE, or --peer NAME=HOST:PORT");
        assertUsageError(CliRun.of("verify", "--peer", "peer0", "--channel", "testchannel"), "--peer peer0: expected NAME=HOST:PORT");
        assertUsageError(CliRun.of("verify", "--peer", "p=127.0.0.1:99999", "--channel", "c"), "--peer p=127.0.0.1:99999:");
        assertUsageError(CliRun.of(without(valid, "--channel")), "--channel is required with --peer");
        assertUsageError(CliRun.of(without(valid, "--tls-ca")), "--tls-ca: no TLS CA certificate for peer " + ORG1_PEER);
        assertUsageError(CliRun.of(without(valid, "--cert")), "--cert is required with --peer");
        assertUsageError(CliRun.of(with(valid, "--key", directory.resolve("absent.pem").toString())),
                "--key: no file at " + directory.resolve("absent.pem"));
        assertUsageError(CliRun.of(with(valid, "--operations", "peer9=http://127.0.0.1:1")),
                "--operations peer9=http://127.0.0.1:1: no --peer is named peer9");
        assertUsageError(CliRun.of("verify", profileFile.toString(), "--peer", ORG1_PEER + "=127.0.0.1:7051"),
                "--peer names peers without a profile; give either PROFILE or --peer, not both");
    }

    private static void assertForkReported(CliRun run) {
        assertThat(run.out()).startsWith("INCONSISTENT: first divergence at height 3 (FORK) on " + ORG2_PEER + "\n")
                .containsPattern("(?m)^  height 3 FORK on " + ORG2_PEER + ": block 3 has header hash [0-9a-f]{16}… on "
                        + ORG1_PEER + "; [0-9a-f]{16}… on " + ORG2_PEER + "$");
    }

    private static void assertUsageError(CliRun run, String message) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).as(run.toString()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private Path profileFile(ConnectionProfile profile) throws Exception {
        Path file = directory.resolve(ConnectionProfile.FILE_NAME);
        Files.deleteIfExists(file);
        profile.write(file);
        return file;
    }

    /**
     * The profile's peers as {@code verify --peer} arguments, all read as Org1's client (a member of the channel, as
     * any organisation's client is); with or without each peer's operations URL.
     */
    private static List<String> peerListArgs(ConnectionProfile profile, boolean operations) {
        List<String> args = new ArrayList<>(List.of("verify", "--channel", DeliverPeers.CHANNEL));
        for (ConnectionProfile.PeerOf peerOf : profile.peers()) {
            ConnectionProfile.Peer peer = peerOf.peer();
            args.addAll(List.of("--peer", peer.name() + "=" + peer.endpoint(),
                    "--tls-ca", peer.name() + "=" + peer.tlsCaCert()));
            if (operations) {
                args.addAll(List.of("--operations", peer.name() + "=" + peer.operations().orElseThrow()));
            }
        }
        ConnectionProfile.Organization org1 = profile.organizations().get(0);
        ConnectionProfile.Client client = org1.client();
        args.addAll(List.of("--msp-id", org1.mspId(), "--cert", client.cert().toString(), "--key", client.key().toString(),
                "--tls-cert", client.tlsCert().toString(), "--tls-key", client.tlsKey().toString()));
        return args;
    }

    /** {@code args} without every occurrence of {@code option} and its value. */
    private static String[] without(List<String> args, String option) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(option)) {
                i++;
            } else {
                kept.add(args.get(i));
            }
        }
        return kept.toArray(String[]::new);
    }

    /** {@code args} with {@code option}'s value replaced by {@code value} (or the option added). */
    private static String[] with(List<String> args, String option, String value) {
        return Stream.concat(Stream.of(without(args, option)), Stream.of(option, value)).toArray(String[]::new);
    }
}
