package io.hearsay.testnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearsay.ledger.Version;
import io.hearsay.ledger.storage.Keyspace;
import io.hearsay.ledger.storage.RocksResources;
import io.hearsay.ledger.storage.RocksStorage;
import io.hearsay.ledger.storage.RocksStorageOptions;
import io.hearsay.ledger.storage.StorageBatch;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consistency verifier on real RocksDB ledgers of three peers holding real, signed blocks with kv and bank
 * transactions: a healthy network passes, and each way ledgers can disagree — a block altered on disk, unreadable
 * ledger files, a fork signed by the orderer, a transfer that creates money, a peer left behind — fails, naming the
 * first divergent height, the check and the peers involved.
 */
class ConsistencyVerifierTest {
    static final String A = "peer0.org1.example.com";
    static final String B = "peer0.org2.example.com";
    static final String C = "peer1.org2.example.com";

    @TempDir
    Path directory;
    VerifierNetwork network;

    /** Blocks 1–3 on every peer: kv writes; opening balances alice 100, bob 50; a transfer of 30 (total stays 150). */
    @BeforeEach
    void commitCommonHistory() throws Exception {
        network = new VerifierNetwork(directory, A, B, C);
        network.commitToAll(network.channel.put("colour", "blue", "size", "3"));
        network.commitToAll(network.bank("alice", "100", "bob", "50"), network.channel.put("colour", "red"));
        network.commitToAll(network.bankTransfer(new Version(2, 0), "alice", "70", "bob", "80"));
    }

    @AfterEach
    void close() {
        network.close();
    }

    @Test
    void agreeingPeersPass() {
        VerificationReport report = new ConsistencyVerifier().verify(network.sources());

        assertThat(report.findings()).isEmpty();
        assertThat(report.consistent()).isTrue();
        assertThat(report.exitCode()).isZero();
        assertThat(report.peers()).hasSize(3).allSatisfy(peer -> {
            assertThat(peer.height()).isEqualTo(4);
            assertThat(peer.bankTotal()).isEqualTo(BigInteger.valueOf(150));
            assertThat(peer.bankAccounts()).isEqualTo(2);
            assertThat(peer.stateHash()).isPresent();
        });
        assertThat(report.toText()).startsWith("CONSISTENT: 3 peers agree on 4 blocks");
    }

    @Test
    void aBlockAlteredInStorageFailsNamingThatPeerAndHeight() throws Exception {
        network.stop(C);
        // Rewrite block 2 as stored on C with alice's opening balance 100 turned into 900: the bytes still parse,
        // only the hash chain can tell.
        try (RocksStorage storage = RocksStorage.open(network.ledgerDirectory(C), RocksStorageOptions.defaults(),
                RocksResources.shared())) {
            byte[] key = ByteBuffer.allocate(8).putLong(2).array();
            byte[] stored = storage.get(Keyspace.BLOCKS, key);
            replaceOnce(stored, bytes("alice\u001a\u0003100"), bytes("alice\u001a\u0003900"));
            storage.write(new StorageBatch().put(Keyspace.BLOCKS, key, stored));
        }
        List<ChainSource> sources = new ArrayList<>(network.sources());
        sources.add(LedgerChainSource.onDisk(C, network.ledgerDirectory(C), network.channel.genesis));

        VerificationReport report = new ConsistencyVerifier().verify(sources);

        assertThat(report.exitCode()).isEqualTo(VerificationReport.EXIT_INCONSISTENT);
        Finding first = report.firstDivergence().orElseThrow();
        assertThat(first.check()).isEqualTo(Check.DATA_HASH);
        assertThat(first.height()).isEqualTo(2);
        assertThat(first.peers()).containsExactly(C);
        assertThat(first.detail()).contains("altered or corrupted");
        // Replayed from C's altered chain, the transfer in block 3 turns alice's 900 into 70: money destroyed.
        assertThat(report.findings()).extracting(Finding::check).containsExactly(Check.DATA_HASH, Check.BANK_INVARIANT);
        assertThat(report.findings()).allSatisfy(finding -> assertThat(finding.peers()).containsExactly(C));
        assertThat(report.toText()).startsWith("INCONSISTENT: first divergence at height 2 (DATA_HASH) on " + C);
    }

    @Test
    void ledgerFilesWithFlippedBytesFailNamingThatPeer() throws Exception {
        network.stop(C);
        int flipped = flipInFiles(network.ledgerDirectory(C), bytes("alice\u001a\u0003100"));
        assertThat(flipped).as("files holding block 2's bytes").isPositive();
        List<ChainSource> sources = new ArrayList<>(network.sources());
        sources.add(LedgerChainSource.onDisk(C, network.ledgerDirectory(C), network.channel.genesis));

        VerificationReport report = new ConsistencyVerifier().verify(sources);

        // The flip lands in RocksDB's write-ahead log (the ledger was never flushed to table files): its record
        // checksum fails on reopen, and point-in-time recovery drops that commit and every later one, so C comes
        // back at height 2 as if blocks 2 and 3 had never arrived. Had the bytes been in a table file, the checksum
        // would fail the read instead. Either way C alone is reported, and A and B are still compared.
        assertThat(report.consistent()).isFalse();
        assertThat(report.firstDivergence().orElseThrow().check()).isIn(Check.HEIGHT, Check.READ_FAILURE, Check.DATA_HASH);
        assertThat(report.findings()).isNotEmpty().allSatisfy(finding -> assertThat(finding.peers()).containsExactly(C));
        assertThat(report.firstDivergence().orElseThrow().detail()).isNotBlank();
        assertThat(report.peers()).filteredOn(peer -> !peer.peer().equals(C))
                .allSatisfy(peer -> assertThat(peer.height()).isEqualTo(4));
    }

    @Test
    void aLedgerThatDoesNotOpenIsAReadFailureOfThatPeer() {
        ChainSource unreadable = LedgerChainSource.onDisk(C, network.ledgerDirectory(A), network.channel.genesis);
        List<ChainSource> sources = new ArrayList<>(network.sources().subList(0, 2));
        sources.add(unreadable); // A's directory is still open in this process: RocksDB's lock refuses a second opener

        VerificationReport report = new ConsistencyVerifier().verify(sources);

        Finding first = report.firstDivergence().orElseThrow();
        assertThat(first.check()).isEqualTo(Check.READ_FAILURE);
        assertThat(first.peers()).containsExactly(C);
        assertThat(first.detail()).startsWith("cannot read its chain: ");
        assertThat(report.peers().get(2).readError()).isPresent();
        assertThat(report.findings()).hasSize(1);
    }

    @Test
    void aForkSignedByTheOrdererFailsNamingTheHeightAndThePeers() throws Exception {
        Block head = network.head(A);
        network.commit(List.of(A, B), network.channel.put("colour", "green"));
        network.commit(List.of(A, B), network.channel.put("size", "4"));
        // C is fed a different block 4 (validly signed by the orderer) and builds on it.
        Block fork = network.channel.next(head, network.channel.put("colour", "black"));
        network.ledger(C).commit(fork);
        network.commit(List.of(C), network.channel.put("size", "5"));

        VerificationReport report = new ConsistencyVerifier().verify(network.sources());

        Finding first = report.firstDivergence().orElseThrow();
        assertThat(first.check()).isEqualTo(Check.FORK);
        assertThat(first.height()).isEqualTo(4);
        assertThat(first.peers()).containsExactly(C);
        assertThat(first.detail()).contains("on " + A + ", " + B).contains("on " + C);
        // One fork finding, not one per later block; the state hashes part at the same height.
        assertThat(report.findings()).extracting(Finding::check).containsExactly(Check.FORK, Check.STATE_HASH);
        assertThat(report.findings()).allSatisfy(finding -> assertThat(finding.height()).isEqualTo(4));
    }

    @Test
    void aBlockWhosePreviousHashIsWrongBreaksTheHashChainAtItsHeight() {
        // C serves block 2 with a previous_hash that is not block 1's header hash; its data, and so its data_hash,
        // are untouched. A real ledger would refuse such a block, so the chain is altered on the way out.
        List<ChainSource> sources = new ArrayList<>(network.sources().subList(0, 2));
        sources.add(AlteredChainSource.block(C, network.sources().get(2), 2, block -> block.toBuilder()
                .setHeader(block.getHeader().toBuilder().setPreviousHash(ByteString.copyFrom(new byte[32]))).build()));

        VerificationReport report = new ConsistencyVerifier().verify(sources);

        Finding first = report.firstDivergence().orElseThrow();
        assertThat(first.check()).isEqualTo(Check.HASH_CHAIN);
        assertThat(first.height()).isEqualTo(2);
        assertThat(first.peers()).containsExactly(C);
        assertThat(first.detail()).startsWith("previous_hash 0000000000000000… is not the header hash of block 1");
        // The altered header also makes C's block 2 differ from the others' (FORK), and block 3, which links to the
        // original block 2, no longer links to C's (HASH_CHAIN again); the data hashes all still match.
        assertThat(report.findings()).extracting(Finding::check, Finding::height).containsExactly(
                tuple(Check.HASH_CHAIN, 2L), tuple(Check.FORK, 2L), tuple(Check.HASH_CHAIN, 3L));
        assertThat(report.findings()).allSatisfy(finding -> assertThat(finding.peers()).containsExactly(C));
    }

    @Test
    void identicalBlocksWithADifferentReportedStateHashFailOnTheStateHashAlone() {
        List<ChainSource> sources = new ArrayList<>(network.sources().subList(0, 2));
        sources.add(AlteredChainSource.stateHash(C, network.sources().get(2), 2, new byte[32]));

        VerificationReport report = new ConsistencyVerifier().verify(sources);

        assertThat(report.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.check()).isEqualTo(Check.STATE_HASH);
            assertThat(finding.height()).isEqualTo(2);
            assertThat(finding.peers()).containsExactly(C);
            assertThat(finding.detail()).startsWith("state hash after block 2 is ")
                    .contains("0000000000000000… on " + C);
        });
        assertThat(report.exitCode()).isEqualTo(VerificationReport.EXIT_INCONSISTENT);
    }

    @Test
    void aTransferThatCreatesMoneyBreaksTheBankInvariantOnEveryPeer() throws Exception {
        network.commitToAll(network.bankTransfer(new Version(3, 0), "alice", "40", "bob", "160")); // 30 out, 80 in

        VerificationReport report = new ConsistencyVerifier().verify(network.sources());

        assertThat(report.findings()).extracting(Finding::check).containsOnly(Check.BANK_INVARIANT);
        assertThat(report.findings()).extracting(Finding::height).containsOnly(4L);
        assertThat(report.findings()).flatExtracting(Finding::peers).containsExactly(A, B, C);
        assertThat(report.firstDivergence().orElseThrow().detail())
                .isEqualTo("the 2 accounts that existed before the block held 150 in total and 200 after it (+50)");
        assertThat(report.exitCode()).isEqualTo(VerificationReport.EXIT_INCONSISTENT);
    }

    @Test
    void onlyValidTransactionsCountAndNewAccountsMayBringMoney() throws Exception {
        // A money-making transfer that read a stale version is invalid (MVCC) and stays unapplied; carol opens with 25.
        network.commitToAll(network.bankTransfer(new Version(2, 0), "alice", "0", "bob", "1000"),
                network.bank("carol", "25"));
        assertThat(network.code(A, 4, 0)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);

        VerificationReport report = new ConsistencyVerifier().verify(network.sources());

        assertThat(report.findings()).isEmpty();
        assertThat(report.peers()).allSatisfy(peer -> {
            assertThat(peer.bankTotal()).isEqualTo(BigInteger.valueOf(175));
            assertThat(peer.bankAccounts()).isEqualTo(3);
        });
    }

    @Test
    void aPeerLeftBehindFailsUnlessLaggingPeersAreAllowed() throws Exception {
        network.commit(List.of(A, B), network.channel.put("colour", "green"));

        VerificationReport strict = new ConsistencyVerifier().verify(network.sources());
        VerificationReport lenient = new ConsistencyVerifier(VerifierOptions.defaults().allowingLaggingPeers())
                .verify(network.sources());

        Finding first = strict.firstDivergence().orElseThrow();
        assertThat(first.check()).isEqualTo(Check.HEIGHT);
        assertThat(first.height()).isEqualTo(4);
        assertThat(first.peers()).containsExactly(C);
        assertThat(lenient.consistent()).isTrue();
    }

    @Test
    void theJsonReportCarriesTheVerdictAndTheFirstDivergence() throws Exception {
        network.commitToAll(network.bank("alice", "1000")); // alice existed, with 70: 930 made from nothing

        JsonObject json = JsonParser.parseString(new ConsistencyVerifier().verify(network.sources()).toJson())
                .getAsJsonObject();

        assertThat(json.get("consistent").getAsBoolean()).isFalse();
        assertThat(json.get("exitCode").getAsInt()).isEqualTo(1);
        JsonObject first = json.getAsJsonObject("firstDivergence");
        assertThat(first.get("check").getAsString()).isEqualTo("BANK_INVARIANT");
        assertThat(first.get("height").getAsLong()).isEqualTo(4);
        assertThat(first.getAsJsonArray("peers").get(0).getAsString()).isEqualTo(A);
        assertThat(json.getAsJsonArray("peers")).hasSize(3);
        assertThat(json.getAsJsonArray("peers").get(0).getAsJsonObject().get("bankTotal").getAsString()).isEqualTo("1080");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void replaceOnce(byte[] data, byte[] pattern, byte[] replacement) {
        List<Integer> at = occurrences(data, pattern);
        assertThat(at).as("occurrences of the pattern").hasSize(1);
        System.arraycopy(replacement, 0, data, at.get(0), replacement.length);
    }

    /** Flips a byte of every occurrence of {@code pattern} in the files under {@code directory}; returns the files changed. */
    private static int flipInFiles(Path directory, byte[] pattern) throws IOException {
        int changed = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] data = Files.readAllBytes(file);
                List<Integer> at = occurrences(data, pattern);
                for (int offset : at) {
                    data[offset + pattern.length - 3] ^= 0x08; // '1' → '9' in the balance
                }
                if (!at.isEmpty()) {
                    Files.write(file, data);
                    changed++;
                }
            }
        }
        return changed;
    }

    private static List<Integer> occurrences(byte[] data, byte[] pattern) {
        List<Integer> found = new ArrayList<>();
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            found.add(i);
        }
        return found;
    }
}
