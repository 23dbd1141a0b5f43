package io.hearsay.peer.endorse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.Identity;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.CommitResult;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.contract.Contracts;
import io.hearsay.peer.transport.TlsCredentials;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endorsement end to end on real parts: an Org1 peer's collector asks an Org2 peer's {@link EndorserService} over
 * mutual-TLS gRPC, the client signs, and the transaction commits VALID in a real RocksDB ledger (or as an MVCC
 * conflict when its read went stale). The collector skips an Org2 peer that refuses connections or never answers
 * (per-endorser deadline) for another Org2 peer, refuses an Org2 endorsement over different state, and fails with
 * one error detail per failed endorser when the 2-of-2 policy cannot be met.
 */
class EndorsementCollectorTest {
    private static final Duration CALL = Duration.ofSeconds(10);

    @TempDir
    Path directory;
    private TestChannel channel;
    private Ledger org1Ledger;
    private Ledger org2Ledger;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void open() {
        channel = new TestChannel(directory, 2);
        org1Ledger = channel.ledger("org1-peer0");
        org2Ledger = channel.ledger("org2-peer0");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        executor.shutdownNow();
        channel.close();
    }

    @Test
    void twoOrganisationsEndorseAndTheSignedTransactionCommitsValid() throws Exception {
        EndorsementCollector collector = collector(Map.of("Org2MSP", List.of(org2Server().endpoint())), CALL);
        CheckedProposal proposal = proposal("kv", "put", "colour", "blue");

        Collected collected = collector.collect(proposal).get(CALL.toSeconds(), TimeUnit.SECONDS);

        assertThat(collected.endorsements()).extracting(this::endorserMsp).containsExactly("Org1MSP", "Org2MSP");
        assertThat(new String(collected.result())).isEqualTo("blue");
        CommitResult commit = channel.commit(org1Ledger, signed(proposal, collected));
        assertThat(commit.validationCodes()).containsExactly(TxValidationCode.VALID);
        assertThat(org1Ledger.state("kv", "colour").orElseThrow().value().toStringUtf8()).isEqualTo("blue");
    }

    @Test
    void aTransactionWhoseReadWentStaleCommitsAsAnMvccConflict() throws Exception {
        EndorsementCollector collector = collector(Map.of("Org2MSP", List.of(org2Server().endpoint())), CALL);
        CheckedProposal first = proposal("kv", "put", "colour", "blue");
        CheckedProposal second = proposal("kv", "put", "colour", "red");
        Envelope blue = signed(first, collector.collect(first).get(CALL.toSeconds(), TimeUnit.SECONDS));
        Envelope red = signed(second, collector.collect(second).get(CALL.toSeconds(), TimeUnit.SECONDS));

        assertThat(channel.commit(org1Ledger, blue).validationCodes()).containsExactly(TxValidationCode.VALID);
        assertThat(channel.commit(org1Ledger, red).validationCodes()).containsExactly(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(org1Ledger.state("kv", "colour").orElseThrow().value().toStringUtf8()).isEqualTo("blue");
    }

    @Test
    void anUnreachablePeerAndASilentPeerAreSkippedForAnotherPeerOfTheSameOrganisation() throws Exception {
        EndorserDirectory.Endpoint refusing = new EndorserDirectory.Endpoint("localhost:" + closedPort(), "peer0.org2.example.com");
        EndorserDirectory.Endpoint silent = new EndorserDirectory.Endpoint("localhost:" + silentPort(), "peer0.org2.example.com");
        EndorsementCollector collector = collector(
                Map.of("Org2MSP", List.of(refusing, silent, org2Server().endpoint())), Duration.ofMillis(500));
        CheckedProposal proposal = proposal("kv", "put", "k", "v");

        Collected collected = collector.collect(proposal).get(CALL.toSeconds(), TimeUnit.SECONDS);

        assertThat(collected.endorsements()).extracting(this::endorserMsp).containsExactly("Org1MSP", "Org2MSP");
        assertThat(channel.commit(org1Ledger, signed(proposal, collected)).validationCodes())
                .containsExactly(TxValidationCode.VALID);
    }

    @Test
    void whenNoPeerOfTheOtherOrganisationEndorsesThereIsOneDetailPerFailedEndorser() throws Exception {
        EndorserDirectory.Endpoint refusing = new EndorserDirectory.Endpoint("localhost:" + closedPort(), "peer0.org2.example.com");
        EndorserDirectory.Endpoint silent = new EndorserDirectory.Endpoint("localhost:" + silentPort(), "peer1.org2.example.com");
        EndorsementCollector collector = collector(Map.of("Org2MSP", List.of(refusing, silent)), Duration.ofMillis(500));

        List<ErrorDetail> details = failure(collector.collect(proposal("kv", "put", "k", "v"))).details();

        assertThat(details).extracting(ErrorDetail::getAddress).containsExactly(refusing.address(), silent.address());
        assertThat(details).extracting(ErrorDetail::getMspId).containsOnly("Org2MSP");
        assertThat(details.get(0).getMessage()).startsWith("UNAVAILABLE");
        assertThat(details.get(1).getMessage()).startsWith("DEADLINE_EXCEEDED");
    }

    @Test
    void anEndorsementOverDifferentStateIsRefused() throws Exception {
        channel.commit(org2Ledger, channel.sample.put("k", "only-on-org2"));
        TestEndorserServer org2 = org2Server();
        EndorsementCollector collector = collector(Map.of("Org2MSP", List.of(org2.endpoint())), CALL);

        List<ErrorDetail> details = failure(collector.collect(proposal("kv", "put", "k", "v"))).details();

        assertThat(details).singleElement().satisfies(detail ->
                assertThat(detail.getMessage()).contains("differs from this peer's"));
    }

    @Test
    void anEndorserOneBlockBehindIsAskedAgainAndAgreesOnceItCaughtUp() throws Exception {
        Envelope write = channel.sample.put("k", "v0");
        channel.commit(org1Ledger, write); // Org2's peer has not committed this block yet
        TestEndorserServer org2 = org2Server();
        AtomicInteger consulted = new AtomicInteger();
        EndorsementCollector collector = collector(mspId -> {
            if (consulted.incrementAndGet() == 2) {
                try {
                    channel.commit(org2Ledger, write); // the block arrives before the retry asks again
                } catch (BlockRejectedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return List.of(org2.endpoint());
        }, CALL);
        CheckedProposal proposal = proposal("kv", "put", "k", "v1");

        Collected collected = collector.collect(proposal).get(CALL.toSeconds(), TimeUnit.SECONDS);

        assertThat(consulted).hasValue(2);
        assertThat(collected.endorsements()).extracting(this::endorserMsp).containsExactly("Org1MSP", "Org2MSP");
        assertThat(channel.commit(org1Ledger, signed(proposal, collected)).validationCodes())
                .containsExactly(TxValidationCode.VALID);
    }

    @Test
    void aContractErrorFailsAtOnceWithThisPeersDetail() throws Exception {
        EndorsementCollector collector = collector(Map.of(), CALL);

        List<ErrorDetail> details = failure(collector.collect(proposal("kv", "get", "missing"))).details();

        assertThat(details).singleElement().satisfies(detail -> {
            assertThat(detail.getMspId()).isEqualTo("Org1MSP");
            assertThat(detail.getMessage()).isEqualTo("chaincode response 500, key 'missing' does not exist");
        });
    }

    @Test
    void aRemoteContractErrorIsReportedWithTheRemotePeer() throws Exception {
        // Only Org1's ledger has the key, so Org2's contract refuses the same call.
        channel.commit(org1Ledger, channel.sample.put("k", "only-on-org1"));
        TestEndorserServer org2 = org2Server();
        EndorsementCollector collector = collector(Map.of("Org2MSP", List.of(org2.endpoint())), CALL);

        List<ErrorDetail> details = failure(collector.collect(proposal("kv", "get", "k"))).details();

        assertThat(details).singleElement().satisfies(detail -> {
            assertThat(detail.getAddress()).isEqualTo(org2.endpoint().address());
            assertThat(detail.getMspId()).isEqualTo("Org2MSP");
            assertThat(detail.getMessage()).isEqualTo("chaincode response 500, key 'k' does not exist");
        });
    }

    // ---- fixtures ----

    private TestEndorserServer org2Server() {
        CryptoMaterial.Member org2Peer = channel.sample.crypto.organization("Org2MSP").nodes().get(0);
        TestEndorserServer server = new TestEndorserServer(channel, org2Peer, org2Ledger, executor);
        closeables.add(server);
        return server;
    }

    private EndorsementCollector collector(Map<String, List<EndorserDirectory.Endpoint>> peers, Duration timeout) {
        return collector(mspId -> peers.getOrDefault(mspId, List.of()), timeout);
    }

    private EndorsementCollector collector(EndorserDirectory directory, Duration timeout) {
        CryptoMaterial.Member org1Peer = channel.sample.crypto.organization("Org1MSP").nodes().get(0);
        EndorsementCollector collector = new EndorsementCollector(
                new LocalEndorser(org1Peer.signingIdentity(), "localhost:7051"),
                directory,
                TlsCredentials.of(org1Peer, channel.sample.crypto.msps()),
                new EndorsementConfig(timeout), executor);
        closeables.add(collector);
        return collector;
    }

    private CheckedProposal proposal(String chaincode, String... functionAndArgs) throws ProposalRejectedException {
        ProposalChecker checker = new ProposalChecker(TestChannel.registry(org1Ledger), Contracts.builtIn(), TimeWindow.defaults());
        return checker.check(TestProposals.by(channel.sample.client).call(chaincode, functionAndArgs).build(), null, null);
    }

    /** The prepared transaction as the gateway builds it, signed by the client. */
    private Envelope signed(CheckedProposal proposal, Collected collected) {
        return EndorserTransactions.sign(channel.sample.client, EndorserTransactions.transactionPayload(proposal.header(),
                proposal.invocation(), collected.proposalResponsePayload(), collected.endorsements()));
    }

    private String endorserMsp(Endorsement endorsement) {
        return Identity.parse(endorsement.getEndorser()).mspId();
    }

    private static EndorsementFailedException failure(CompletableFuture<Collected> outcome) {
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> outcome.get(CALL.toSeconds(), TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOf(EndorsementFailedException.class);
        return (EndorsementFailedException) failure.getCause();
    }

    /** A port nothing listens on: connections are refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A port that accepts connections and never says a word: only the deadline ends a call there. */
    private int silentPort() throws IOException {
        ServerSocket socket = new ServerSocket(0);
        List<Socket> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(socket.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-peer");
        acceptor.setDaemon(true);
        acceptor.start();
        closeables.add(() -> {
            socket.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        });
        return socket.getLocalPort();
    }
}
