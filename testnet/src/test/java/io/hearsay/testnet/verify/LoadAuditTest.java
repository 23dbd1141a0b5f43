package io.hearsay.testnet.verify;

import static io.hearsay.testnet.verify.ConsistencyVerifierTest.A;
import static io.hearsay.testnet.verify.ConsistencyVerifierTest.B;
import static io.hearsay.testnet.verify.ConsistencyVerifierTest.C;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.ledger.Version;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LoadAudit}'s check that every transfer the client saw committed VALID is VALID on every peer, on real RocksDB
 * ledgers of three peers holding signed bank transactions: a transfer every peer committed is missing nowhere; one a
 * peer left behind lacks, or one the peers marked invalid, is named with each peer it is missing on; a chain that
 * cannot be read misses them all, with the reason.
 */
class LoadAuditTest {
    @TempDir
    Path directory;
    VerifierNetwork network;
    String opening;

    @BeforeEach
    void openAccounts() throws Exception {
        network = new VerifierNetwork(directory, A, B, C);
        Envelope open = network.bank("alice", "100", "bob", "50");
        network.commitToAll(open);
        opening = transactionId(open);
    }

    @AfterEach
    void close() {
        network.close();
    }

    @Test
    void aTransferEveryPeerCommittedIsMissingNowhere() {
        assertThat(LoadAudit.missingValid(network.sources(), Set.of(opening))).isEmpty();
    }

    @Test
    void aTransferAPeerLeftBehindLacksIsNamedWithThatPeer() throws Exception {
        Envelope transfer = network.bankTransfer(new Version(1, 0), "alice", "70", "bob", "80");
        network.commit(List.of(A, B), transfer);

        assertThat(LoadAudit.missingValid(network.sources(), Set.of(opening, transactionId(transfer))))
                .containsExactly(transactionId(transfer) + " on " + C);
    }

    @Test
    void aTransferThePeersMarkedInvalidIsMissingOnEachOfThem() throws Exception {
        Envelope first = network.bankTransfer(new Version(1, 0), "alice", "70", "bob", "80");
        Envelope second = network.bankTransfer(new Version(1, 0), "alice", "90", "bob", "60"); // it read what first overwrites
        network.commitToAll(first, second);
        assertThat(network.code(A, 2, 1)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);

        String conflicted = transactionId(second);
        assertThat(LoadAudit.missingValid(network.sources(), Set.of(opening, transactionId(first), conflicted)))
                .containsExactly(conflicted + " on " + A, conflicted + " on " + B, conflicted + " on " + C);
    }

    @Test
    void aChainThatCannotBeReadMissesEveryTransferWithTheReason() {
        List<ChainSource> sources = new ArrayList<>(network.sources());
        sources.add(new ChainSource() {
            @Override
            public String peer() {
                return "peer9.org1.example.com";
            }

            @Override
            public Chain open() {
                throw new IllegalStateException("GET http://localhost:1/status failed: connection refused");
            }

            @Override
            public Optional<byte[]> stateHashAfter(long number) {
                return Optional.empty();
            }
        });

        assertThat(LoadAudit.missingValid(sources, Set.of(opening))).singleElement().asString()
                .startsWith("all 1 on peer9.org1.example.com (its chain could not be read: ")
                .contains("connection refused");
    }

    private static String transactionId(Envelope envelope) throws InvalidProtocolBufferException {
        Payload payload = Payload.parseFrom(envelope.getPayload());
        return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
    }
}
