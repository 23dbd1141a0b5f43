package io.hearsay.ledger;

import static io.hearsay.ledger.sample.SampleChannel.delete;
import static io.hearsay.ledger.sample.SampleChannel.range;
import static io.hearsay.ledger.sample.SampleChannel.read;
import static io.hearsay.ledger.sample.SampleChannel.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.BAD_CREATOR_SIGNATURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.BAD_RWSET;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.BAD_PROPOSAL_TXID;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.DUPLICATE_TXID;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.MVCC_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.PHANTOM_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

import com.google.protobuf.ByteString;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.BlockRejectedException.Reason;
import io.hearsay.ledger.block.BlockBuilder;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.ledger.state.StateHash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReadsMerkleSummary;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's behaviour, written once and run against every storage backend: validation in Fabric's
 * order with Fabric's codes, atomic commits that leave nothing behind on rejection, MVCC, phantom reads,
 * indexes, the state hash, and resuming after reopen.
 */
abstract class LedgerContract {
    @TempDir
    static Path cryptoDirectory;

    static SampleChannel channel;

    Ledger ledger;

    /** A fresh, empty ledger for {@code channel.genesis} (committed by opening it). */
    abstract Ledger openNew(LedgerOptions options) throws Exception;

    /** Closes {@code ledger} and opens the same storage again. */
    abstract Ledger reopen(Ledger ledger, Block genesis) throws Exception;

    @BeforeAll
    static void createChannel() {
        channel = new SampleChannel(cryptoDirectory);
    }

    @BeforeEach
    void open() throws Exception {
        ledger = openNew(LedgerOptions.defaults());
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private Block head() {
        return ledger.block(ledger.height() - 1).orElseThrow();
    }

    private CommitResult commit(Envelope... envelopes) throws BlockRejectedException {
        return ledger.commit(channel.next(head(), envelopes));
    }

    private String value(String key) {
        return ledger.state(SampleChannel.CHAINCODE, key).map(v -> v.value().toStringUtf8()).orElse(null);
    }

    private static String txId(Envelope envelope) throws Exception {
        return ChannelHeader.parseFrom(Payload.parseFrom(envelope.getPayload()).getHeader().getChannelHeader()).getTxId();
    }

    private void assertRejected(Block block, Reason reason) {
        long height = ledger.height();
        byte[] stateHash = ledger.stateHash();
        ThrowingCallable commit = () -> ledger.commit(block);
        assertThatThrownBy(commit).isInstanceOfSatisfying(BlockRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
        assertThatThrownBy(commit).isInstanceOfSatisfying(BlockRejectedException.class,
                e -> assertThat(e.committed()).as("commit(block) commits nothing else").isEmpty());
        assertThat(ledger.height()).as("nothing written").isEqualTo(height);
        assertThat(ledger.stateHash()).isEqualTo(stateHash);
    }

    @Test
    void openingCommitsTheGenesisBlockAndExposesItsConfig() {
        assertThat(ledger.height()).isEqualTo(1);
        assertThat(ledger.channelId()).isEqualTo(SampleChannel.CHANNEL);
        assertThat(ledger.config()).isEqualTo(channel.config);
        assertThat(ledger.headHash()).isEqualTo(BlockHashing.headerHash(channel.genesis.getHeader()));
        assertThat(ledger.stateHash()).isEqualTo(StateHash.empty().toBytes());
    }

    @Test
    void validTransactionUpdatesStateVersionIndexAndStateHash() throws Exception {
        Envelope put = channel.put("a", "1", "b", "2");
        CommitResult result = commit(put);

        assertThat(result.validationCodes()).containsExactly(VALID);
        assertThat(result.height()).isEqualTo(2);
        assertThat(value("a")).isEqualTo("1");
        assertThat(ledger.state(SampleChannel.CHAINCODE, "b").orElseThrow().version()).isEqualTo(new Version(1, 0));
        assertThat(ledger.transaction(txId(put))).contains(new TransactionRecord(txId(put), 1, 0, VALID));
        assertThat(ledger.stateHash()).isNotEqualTo(StateHash.empty().toBytes()).isEqualTo(result.stateHash());
        assertThat(ledger.stateHashAt(1)).hasValueSatisfying(h -> assertThat(h).isEqualTo(result.stateHash()));
        assertThat(ledger.stateHashAt(0)).hasValueSatisfying(h -> assertThat(h).isEqualTo(StateHash.empty().toBytes()));
    }

    @Test
    void storedBlockCarriesTheTransactionsFilterAndKeepsItsHash() throws Exception {
        Block block = channel.next(head(), channel.put("a", "1"), channel.transaction(
                KVRWSet.newBuilder().addWrites(write("x", "1")).build(), List.of(channel.org1Peer)));
        ledger.commit(block);
        Block stored = ledger.block(1).orElseThrow();
        assertThat(stored.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE).toByteArray())
                .containsExactly(VALID.getNumber(), ENDORSEMENT_POLICY_FAILURE.getNumber());
        assertThat(BlockHashing.headerHash(stored.getHeader())).isEqualTo(BlockHashing.headerHash(block.getHeader()));
        assertThat(ledger.blockByHash(BlockHashing.headerHash(block.getHeader()))).contains(stored);
    }

    @Test
    void gapsAndReplaysAreRejectedAsWrongNumber() throws Exception {
        Block first = channel.next(head(), channel.put("a", "1"));
        Block second = channel.next(first, channel.put("a", "2"));
        assertRejected(second, Reason.WRONG_NUMBER);
        ledger.commit(first);
        assertRejected(first, Reason.WRONG_NUMBER);
        assertThat(value("a")).isEqualTo("1");
    }

    @Test
    void forkIsRejectedAsWrongPreviousHash() {
        Block fork = channel.blocks.build(1, ByteString.copyFrom(new byte[32]), List.of(channel.put("a", "1").toByteString()));
        assertRejected(fork, Reason.WRONG_PREVIOUS_HASH);
    }

    @Test
    void tamperedDataIsRejectedAsWrongDataHash() {
        Block honest = channel.next(head(), channel.put("a", "1"));
        Block tampered = honest.toBuilder().setData(honest.getData().toBuilder()
                .setData(0, channel.put("a", "999").toByteString())).build();
        assertRejected(tampered, Reason.WRONG_DATA_HASH);
        assertThat(value("a")).isNull();
    }

    @Test
    void blockSignedByAPeerInsteadOfTheOrdererIsRejected() {
        Block forged = new BlockBuilder(channel.org1Peer).next(head(), List.of(channel.put("a", "1").toByteString()));
        assertRejected(forged, Reason.BAD_ORDERER_SIGNATURE);
    }

    @Test
    void blockWithoutSignatureIsRejected() {
        Block honest = channel.next(head(), channel.put("a", "1"));
        Block unsigned = honest.toBuilder().setMetadata(honest.getMetadata().toBuilder()
                .setMetadata(BlockMetadataIndex.SIGNATURES_VALUE, ByteString.EMPTY)).build();
        assertRejected(unsigned, Reason.BAD_ORDERER_SIGNATURE);
    }

    @Test
    void nonCanonicalTransactionBytesAreRejected() {
        // The payload field written twice parses to the same envelope but re-marshals to other bytes.
        ByteString canonical = channel.put("a", "1").toByteString();
        Envelope parsed;
        try {
            parsed = Envelope.parseFrom(canonical);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        ByteString duplicateField = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("x")).build().toByteString()
                .concat(canonical);
        assertThat(duplicateField).isNotEqualTo(canonical);
        assertThat(parsedEquals(duplicateField, parsed)).isTrue();
        Block block = channel.blocks.next(head(), List.of(duplicateField));
        assertRejected(block, Reason.NON_CANONICAL_TRANSACTION);
    }

    private static boolean parsedEquals(ByteString bytes, Envelope expected) {
        try {
            return Envelope.parseFrom(bytes).equals(expected);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void oversizedBlockIsRejectedBeforeAnyOtherCheck() throws Exception {
        ledger.close();
        ledger = openNew(new LedgerOptions(ValidationLevel.FULL, true, 16 * 1024, java.time.InstantSource.system()));
        Block big = channel.next(head(), channel.put("a", "x".repeat(20_000)));
        assertRejected(big, Reason.MALFORMED);
    }

    @Test
    void forgedCreatorSignatureMakesOnlyThatTransactionInvalid() throws Exception {
        Envelope honest = channel.put("a", "1");
        Envelope forged = channel.put("b", "1").toBuilder().setSignature(honest.getSignature()).build();
        CommitResult result = commit(honest, forged);
        assertThat(result.validationCodes()).containsExactly(VALID, BAD_CREATOR_SIGNATURE);
        assertThat(value("a")).isEqualTo("1");
        assertThat(value("b")).isNull();
        assertThat(ledger.transaction(txId(forged)).orElseThrow().validationCode()).isEqualTo(BAD_CREATOR_SIGNATURE);
    }

    @Test
    void transactionIdNotDerivedFromNonceAndCreatorIsInvalid() throws Exception {
        Envelope honest = channel.put("a", "1");
        Payload payload = Payload.parseFrom(honest.getPayload());
        ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).toBuilder().setTxId("chosen-id").build();
        Payload altered = payload.toBuilder().setHeader(Header.newBuilder(payload.getHeader())
                .setChannelHeader(header.toByteString())).build();
        Envelope resigned = io.hearsay.ledger.block.EndorserTransactions.sign(channel.client, altered);
        assertThat(commit(resigned).validationCodes()).containsExactly(BAD_PROPOSAL_TXID);
        assertThat(value("a")).isNull();
    }

    @Test
    void endorsementsMustSatisfyThePolicy() throws Exception {
        KVRWSet rwSet = KVRWSet.newBuilder().addWrites(write("a", "1")).build();
        SigningIdentity clientAsEndorser = channel.crypto.organization("Org2MSP").admin().signingIdentity();
        CommitResult result = commit(
                channel.transaction(rwSet, List.of(channel.org1Peer)),
                channel.transaction(rwSet, List.of(channel.org1Peer, clientAsEndorser)),
                channel.transaction(rwSet, List.of(channel.org1Peer, channel.org1Peer)),
                channel.transaction(rwSet, List.of()));
        assertThat(result.validationCodes()).containsOnly(ENDORSEMENT_POLICY_FAILURE);
        assertThat(value("a")).isNull();
    }

    @Test
    void forgedEndorsementSignatureIsAPolicyFailure() throws Exception {
        Envelope honest = channel.put("a", "1");
        Payload payload = Payload.parseFrom(honest.getPayload());
        var transaction = org.hyperledger.fabric.protos.peer.Transaction.parseFrom(payload.getData());
        var actionPayload = org.hyperledger.fabric.protos.peer.ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
        var endorsements = new ArrayList<>(actionPayload.getAction().getEndorsementsList());
        endorsements.set(1, endorsements.get(1).toBuilder().setSignature(endorsements.get(0).getSignature()).build());
        var forgedAction = actionPayload.toBuilder().setAction(actionPayload.getAction().toBuilder()
                .clearEndorsements().addAllEndorsements(endorsements)).build();
        var forgedTransaction = transaction.toBuilder().setActions(0, transaction.getActions(0).toBuilder()
                .setPayload(forgedAction.toByteString())).build();
        Envelope forged = io.hearsay.ledger.block.EndorserTransactions.sign(channel.client,
                payload.toBuilder().setData(forgedTransaction.toByteString()).build());
        assertThat(commit(forged).validationCodes()).containsExactly(ENDORSEMENT_POLICY_FAILURE);
    }

    @Test
    void duplicateTransactionIdsAreInvalidAndKeepTheOriginalIndexEntry() throws Exception {
        Envelope put = channel.put("a", "1");
        CommitResult first = commit(put, put);
        assertThat(first.validationCodes()).containsExactly(VALID, DUPLICATE_TXID);
        CommitResult again = commit(put);
        assertThat(again.validationCodes()).containsExactly(DUPLICATE_TXID);
        assertThat(ledger.transaction(txId(put))).contains(new TransactionRecord(txId(put), 1, 0, VALID));
    }

    @Test
    void staleReadIsAnMvccConflictAndItsWritesAreNotApplied() throws Exception {
        commit(channel.put("a", "1"));
        Version v1 = ledger.state(SampleChannel.CHAINCODE, "a").orElseThrow().version();
        commit(channel.transaction(KVRWSet.newBuilder().addReads(read("a", v1)).addWrites(write("a", "2")).build()));
        CommitResult stale = commit(channel.transaction(KVRWSet.newBuilder()
                .addReads(read("a", v1)).addWrites(write("a", "3")).addWrites(write("b", "3")).build()));
        assertThat(stale.validationCodes()).containsExactly(MVCC_READ_CONFLICT);
        assertThat(value("a")).isEqualTo("2");
        assertThat(value("b")).isNull();
    }

    @Test
    void laterTransactionInABlockSeesEarlierValidWrites() throws Exception {
        commit(channel.put("a", "1"));
        Version v1 = ledger.state(SampleChannel.CHAINCODE, "a").orElseThrow().version();
        KVRWSet spend = KVRWSet.newBuilder().addReads(read("a", v1)).addWrites(write("a", "0")).build();
        CommitResult result = commit(channel.transaction(spend), channel.transaction(spend),
                channel.transaction(KVRWSet.newBuilder().addReads(read("a", new Version(2, 0))).addWrites(write("c", "ok")).build()));
        assertThat(result.validationCodes()).containsExactly(VALID, MVCC_READ_CONFLICT, VALID);
        assertThat(value("a")).isEqualTo("0");
        assertThat(value("c")).isEqualTo("ok");
    }

    @Test
    void readOfAnAbsentKeyConflictsOnceTheKeyExists() throws Exception {
        KVRWSet create = KVRWSet.newBuilder().addReads(read("k", null)).addWrites(write("k", "v")).build();
        CommitResult result = commit(channel.transaction(create), channel.transaction(create));
        assertThat(result.validationCodes()).containsExactly(VALID, MVCC_READ_CONFLICT);
    }

    @Test
    void deleteRemovesTheKeyAndRestoresTheStateHash() throws Exception {
        commit(channel.put("a", "1"));
        byte[] withA = ledger.stateHash();
        commit(channel.put("b", "2"));
        commit(channel.transaction(KVRWSet.newBuilder().addWrites(delete("b")).build()));
        assertThat(value("b")).isNull();
        assertThat(ledger.stateHash()).isEqualTo(withA);
    }

    @Test
    void stateHashIsTheSumOverEntriesWhateverTheWriteHistory() throws Exception {
        commit(channel.put("a", "1"));
        commit(channel.put("a", "2", "b", "x"));
        StateHash expected = StateHash.empty();
        try (Ledger.StateIterator entries = ledger.stateRange(SampleChannel.CHAINCODE, "", "")) {
            entries.forEachRemaining(e -> expected.add(e.namespace(), e.key(), e.value().value().toByteArray(),
                    e.value().version().blockNumber(), e.value().version().transactionNumber()));
        }
        assertThat(ledger.stateHash()).isEqualTo(expected.toBytes());
    }

    @Test
    void stateRangeIsOrderedAndBounded() throws Exception {
        commit(channel.put("b", "2", "a", "1", "d", "4", "c", "3"));
        List<String> keys = new ArrayList<>();
        try (Ledger.StateIterator entries = ledger.stateRange(SampleChannel.CHAINCODE, "b", "d")) {
            entries.forEachRemaining(e -> keys.add(e.key()));
        }
        assertThat(keys).containsExactly("b", "c");
        try (Ledger.StateIterator entries = ledger.stateRange("other", "", "")) {
            assertThat(entries.hasNext()).isFalse();
        }
    }

    @Test
    void blocksIteratesInOrderClippedToHeight() throws Exception {
        commit(channel.put("a", "1"));
        commit(channel.put("a", "2"));
        List<Long> numbers = new ArrayList<>();
        Iterator<Block> blocks = ledger.blocks(1, 100);
        blocks.forEachRemaining(b -> numbers.add(b.getHeader().getNumber()));
        assertThat(numbers).containsExactly(1L, 2L);
        assertThat(ledger.block(3)).isEmpty();
        assertThat(ledger.block(-1)).isEmpty();
    }

    @Test
    void reopenResumesFromTheStoredHead() throws Exception {
        commit(channel.put("a", "1"));
        byte[] headHash = ledger.headHash();
        byte[] stateHash = ledger.stateHash();
        ledger = reopen(ledger, channel.genesis);
        assertThat(ledger.height()).isEqualTo(2);
        assertThat(ledger.headHash()).isEqualTo(headHash);
        assertThat(ledger.stateHash()).isEqualTo(stateHash);
        commit(channel.put("a", "2"));
        assertThat(value("a")).isEqualTo("2");
    }

    @Test
    void reopenWithAnotherGenesisIsRefused(@TempDir Path otherCrypto) throws Exception {
        commit(channel.put("a", "1"));
        Block otherGenesis = new SampleChannel(otherCrypto).genesis;
        assertThatThrownBy(() -> ledger = reopen(ledger, otherGenesis))
                .isInstanceOfSatisfying(BlockRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CONFIG))
                .hasMessageContaining("another genesis block");
        ledger = reopen(ledger, channel.genesis);
        assertThat(ledger.height()).isEqualTo(2);
    }

    @Test
    void blockLevelValidationSkipsTransactionSignaturesOnly() throws Exception {
        ledger.close();
        ledger = openNew(LedgerOptions.defaults().withValidationLevel(ValidationLevel.BLOCK));
        Envelope honest = channel.put("a", "1");
        Envelope badSignature = channel.put("b", "1").toBuilder().setSignature(honest.getSignature()).build();
        KVRWSet underEndorsed = KVRWSet.newBuilder().addWrites(write("c", "1")).build();
        CommitResult result = commit(honest, badSignature, channel.transaction(underEndorsed, List.of(channel.org1Peer)));
        assertThat(result.validationCodes()).containsExactly(VALID, VALID, ENDORSEMENT_POLICY_FAILURE);
        Block forged = new BlockBuilder(channel.org1Peer).next(head(), List.of(channel.put("d", "1").toByteString()));
        assertRejected(forged, Reason.BAD_ORDERER_SIGNATURE);
    }

    @Test
    void commitResultListsOneCodePerTransaction() throws Exception {
        CommitResult result = commit(channel.put("a", "1"), channel.put("b", "2"), channel.put("c", "3"));
        assertThat(result.validationCodes()).hasSize(3).containsOnly(TxValidationCode.VALID);
        assertThat(result.validTransactions()).isEqualTo(3);
    }

    // ---- phantom reads: a recorded range query must read the same entries at commit ----

    /** A transaction that read {@code range} and writes r=x, so one can see whether it was applied. */
    private static Envelope rangeReader(RangeQueryInfo... ranges) {
        return channel.transaction(KVRWSet.newBuilder().addAllRangeQueriesInfo(List.of(ranges))
                .addWrites(write("r", "x")).build());
    }

    /** Commits a, c at 1:0 (block 1) and returns the range query that read [a, d) then. */
    private RangeQueryInfo readOfAToD() throws Exception {
        commit(channel.put("a", "1", "c", "1"));
        Version v1 = new Version(1, 0);
        return range("a", "d", true, read("a", v1), read("c", v1));
    }

    @Test
    void anUnchangedRangeIsValidAndAWriteOutsideItDoesNotMatter() throws Exception {
        RangeQueryInfo aToD = readOfAToD();
        commit(channel.put("d", "1", "0", "1"));
        assertThat(commit(rangeReader(aToD)).validationCodes()).containsExactly(VALID);
        assertThat(value("r")).isEqualTo("x");
    }

    @Test
    void aKeyInsertedIntoTheRangeIsAPhantomAndItsWritesAreNotApplied() throws Exception {
        RangeQueryInfo aToD = readOfAToD();
        commit(channel.put("b", "1"));
        byte[] stateHash = ledger.stateHash();
        assertThat(commit(rangeReader(aToD)).validationCodes()).containsExactly(PHANTOM_READ_CONFLICT);
        assertThat(value("r")).isNull();
        assertThat(ledger.stateHash()).isEqualTo(stateHash);
    }

    @Test
    void aKeyDeletedFromTheRangeIsAPhantom() throws Exception {
        RangeQueryInfo aToD = readOfAToD();
        commit(channel.transaction(KVRWSet.newBuilder().addWrites(delete("c")).build()));
        assertThat(commit(rangeReader(aToD)).validationCodes()).containsExactly(PHANTOM_READ_CONFLICT);
    }

    @Test
    void aKeyOfTheRangeRewrittenAtANewVersionIsAConflict() throws Exception {
        RangeQueryInfo aToD = readOfAToD();
        commit(channel.put("c", "1"));
        assertThat(commit(rangeReader(aToD)).validationCodes()).containsExactly(PHANTOM_READ_CONFLICT);
    }

    @Test
    void anEarlierValidTransactionOfTheBlockWritingIntoTheRangeMakesAPhantomAnInvalidOneDoesNot() throws Exception {
        RangeQueryInfo aToD = readOfAToD();
        Envelope unendorsedInsert = channel.transaction(KVRWSet.newBuilder().addWrites(write("b", "1")).build(),
                List.of(channel.org1Peer));
        assertThat(commit(unendorsedInsert, rangeReader(aToD), channel.put("b", "1"), rangeReader(aToD))
                .validationCodes()).containsExactly(ENDORSEMENT_POLICY_FAILURE, VALID, VALID, PHANTOM_READ_CONFLICT);
        Version b = new Version(2, 2);
        assertThat(commit(channel.transaction(KVRWSet.newBuilder().addWrites(delete("b")).build()),
                rangeReader(range("a", "d", true, read("a", new Version(1, 0)), read("b", b), read("c", new Version(1, 0)))))
                .validationCodes()).as("a delete earlier in the block").containsExactly(VALID, PHANTOM_READ_CONFLICT);
    }

    @Test
    void aRangeOverAnEmptyNamespaceStaysValidUntilAKeyAppears() throws Exception {
        RangeQueryInfo everything = range("", "", true);
        assertThat(commit(rangeReader(everything)).validationCodes()).containsExactly(VALID);
        assertThat(commit(rangeReader(range("s", "", true))).validationCodes())
                .as("r is before the range").containsExactly(VALID);
        assertThat(commit(rangeReader(everything)).validationCodes()).containsExactly(PHANTOM_READ_CONFLICT);
    }

    /** A contract that stopped early recorded its last key as an inclusive end: keys after it are not its concern. */
    @Test
    void anEarlyStoppedRangeIsComparedUpToItsLastKeyOnly() throws Exception {
        commit(channel.put("a", "1", "c", "1", "e", "1"));
        Version v1 = new Version(1, 0);
        RangeQueryInfo firstTwo = range("a", "c", false, read("a", v1), read("c", v1));
        commit(channel.put("d", "1"));
        assertThat(commit(rangeReader(firstTwo)).validationCodes()).containsExactly(VALID);
        commit(channel.put("c", "2"));
        assertThat(commit(rangeReader(firstTwo)).validationCodes()).as("its last key, included").containsExactly(PHANTOM_READ_CONFLICT);
    }

    @Test
    void malformedRangeQueriesAreBadReadWriteSetsNotCommitFailures() throws Exception {
        commit(channel.put("a", "1"));
        KVRead[] tooManyReads = new KVRead[100_001];
        Arrays.fill(tooManyReads, read("a", new Version(1, 0)));
        RangeQueryInfo[] tooManyQueries = new RangeQueryInfo[1_001];
        Arrays.fill(tooManyQueries, range("a", "b", true));
        RangeQueryInfo merkle = range("a", "b", true).toBuilder()
                .setReadsMerkleHashes(QueryReadsMerkleSummary.newBuilder().setMaxDegree(2)).build();
        CommitResult result = commit(rangeReader(range("b", "a", true)), rangeReader(range("a", "", false, tooManyReads)),
                rangeReader(tooManyQueries), rangeReader(merkle), rangeReader(range("a", "b", true, read("a", new Version(1, 0)))));
        assertThat(result.validationCodes()).containsExactly(BAD_RWSET, BAD_RWSET, BAD_RWSET, BAD_RWSET, VALID);
    }

    /**
     * commitAll plans a block while the block before is still being written: its range queries must see that
     * block's inserts and deletes as one-by-one commits do.
     */
    @Test
    void commitAllSeesTheBlockBeforeInRangeQueriesAsOneByOneDoes() throws Exception {
        Version v1 = new Version(1, 0);
        Version v2 = new Version(2, 0);
        List<Block> chain = new ArrayList<>();
        chain.add(channel.next(head(), channel.put("a", "1", "c", "1")));
        chain.add(channel.next(chain.get(0), channel.transaction(KVRWSet.newBuilder().addWrites(write("b", "1"))
                .addWrites(delete("c")).build())));
        chain.add(channel.next(chain.get(1), rangeReader(range("a", "d", true, read("a", v1), read("c", v1))),
                rangeReader(range("a", "d", true, read("a", v1), read("b", v2)))));
        List<CommitResult> oneByOne = new ArrayList<>();
        for (Block block : chain) {
            oneByOne.add(ledger.commit(block));
        }
        assertThat(oneByOne.get(2).validationCodes()).containsExactly(PHANTOM_READ_CONFLICT, VALID);
        for (LedgerOptions options : List.of(LedgerOptions.defaults(), LedgerOptions.defaults().withParallelValidation(false))) {
            try (Ledger batched = openNew(options)) {
                assertSameResults(batched.commitAll(chain), oneByOne);
            }
        }
    }

    // ---- commitAll: the pipelined batch commit must be indistinguishable from committing one by one ----

    /**
     * Six blocks after the head that exercise every stateful rule across block boundaries: MVCC conflicts
     * within a block and against the block before, a duplicate id from an earlier block, a forged creator
     * signature, a policy failure, deletes, and blocks of 20 transactions so that their checks are split
     * into several slices.
     */
    private List<Block> mixedChain(Block from) throws Exception {
        List<Block> chain = new ArrayList<>();
        Envelope first = channel.put("a", "1", "b", "1");
        chain.add(channel.next(from, first, channel.put("c", "1")));
        Version a1 = new Version(from.getHeader().getNumber() + 1, 0);
        KVRWSet spendA = KVRWSet.newBuilder().addReads(read("a", a1)).addWrites(write("a", "2")).build();
        Envelope forged = channel.put("e", "1").toBuilder().setSignature(first.getSignature()).build();
        chain.add(channel.next(chain.get(0), channel.transaction(spendA), channel.transaction(spendA), first, forged,
                channel.transaction(KVRWSet.newBuilder().addWrites(write("x", "1")).build(), List.of(channel.org1Peer))));
        chain.add(channel.next(chain.get(1), channel.transaction(KVRWSet.newBuilder().addReads(read("a", a1))
                        .addWrites(write("f", "stale")).build()),
                channel.transaction(KVRWSet.newBuilder().addWrites(delete("b")).addWrites(delete("never")).build())));
        for (int round = 0; round < 3; round++) {
            Envelope[] puts = new Envelope[20];
            for (int i = 0; i < puts.length; i++) {
                puts[i] = channel.put("k" + (i % 7), round + "-" + i, "r" + round + "-" + i, "v");
            }
            chain.add(channel.next(chain.get(chain.size() - 1), puts));
        }
        return chain;
    }

    private void assertSameResults(List<CommitResult> actual, List<CommitResult> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).block()).as("stored block %d", i).isEqualTo(expected.get(i).block());
            assertThat(actual.get(i).validationCodes()).as("codes of block %d", i).isEqualTo(expected.get(i).validationCodes());
            assertThat(actual.get(i).height()).isEqualTo(expected.get(i).height());
            assertThat(actual.get(i).stateHash()).as("state hash after block %d", i).isEqualTo(expected.get(i).stateHash());
        }
    }

    @Test
    void commitAllGivesTheSameBlocksCodesStateHashesAndHeadAsOneByOne() throws Exception {
        List<Block> chain = mixedChain(head());
        List<CommitResult> oneByOne = new ArrayList<>();
        for (Block block : chain) {
            oneByOne.add(ledger.commit(block));
        }
        assertThat(oneByOne.get(1).validationCodes()).as("the chain exercises the stateful rules")
                .containsExactly(VALID, MVCC_READ_CONFLICT, DUPLICATE_TXID, BAD_CREATOR_SIGNATURE, ENDORSEMENT_POLICY_FAILURE);
        assertThat(oneByOne.get(2).validationCodes()).containsExactly(MVCC_READ_CONFLICT, VALID);
        for (LedgerOptions options : List.of(LedgerOptions.defaults(), LedgerOptions.defaults().withPipelineBlocksMax(1),
                LedgerOptions.defaults().withParallelValidation(false),
                LedgerOptions.defaults().withValidationLevel(ValidationLevel.BLOCK).withPipelineBlocksMax(2))) {
            try (Ledger batched = openNew(options)) {
                List<CommitResult> results = batched.commitAll(chain);
                if (options.validationLevel() == ValidationLevel.FULL) {
                    assertSameResults(results, oneByOne);
                    assertThat(batched.stateHash()).isEqualTo(ledger.stateHash());
                } else {
                    assertThat(results.get(1).validationCodes()).as("no signatures checked at block level")
                            .containsExactly(VALID, MVCC_READ_CONFLICT, DUPLICATE_TXID, VALID, ENDORSEMENT_POLICY_FAILURE);
                }
                assertThat(batched.height()).isEqualTo(ledger.height());
                assertThat(batched.headHash()).isEqualTo(ledger.headHash());
                for (long number = 0; number < ledger.height(); number++) {
                    if (options.validationLevel() == ValidationLevel.FULL) {
                        assertThat(batched.block(number)).isEqualTo(ledger.block(number));
                        assertThat(batched.stateHashAt(number).orElseThrow()).isEqualTo(ledger.stateHashAt(number).orElseThrow());
                    }
                }
            }
        }
    }

    @Test
    void commitAllOfAnEmptyListIsANoOp() throws Exception {
        commit(channel.put("a", "1"));
        byte[] headHash = ledger.headHash();
        byte[] stateHash = ledger.stateHash();
        assertThat(ledger.commitAll(List.of())).isEmpty();
        assertThat(ledger.height()).isEqualTo(2);
        assertThat(ledger.headHash()).isEqualTo(headHash);
        assertThat(ledger.stateHash()).isEqualTo(stateHash);
    }

    @Test
    void commitAllContinuesFromTheHeadAndCanBeCalledAgain() throws Exception {
        List<Block> chain = mixedChain(head());
        assertThat(ledger.commitAll(chain.subList(0, 2))).hasSize(2);
        ledger.commit(chain.get(2));
        List<CommitResult> rest = ledger.commitAll(chain.subList(3, chain.size()));
        assertThat(rest).extracting(CommitResult::height).containsExactly(5L, 6L, 7L);
        assertThat(ledger.height()).isEqualTo(1 + chain.size());
    }

    /** Commits {@code chain} but block {@code bad}, replaced by {@code replacement}; checks the prefix is all there is. */
    private void assertRejectsExactlyFrom(List<Block> chain, int bad, Block replacement, Reason reason) throws Exception {
        List<CommitResult> expected = new ArrayList<>();
        try (Ledger reference = openNew(LedgerOptions.defaults())) {
            for (Block block : chain.subList(0, bad)) {
                expected.add(reference.commit(block));
            }
        }
        List<Block> list = new ArrayList<>(chain);
        list.set(bad, replacement);
        long height = ledger.height();
        BlockRejectedException rejection = catchRejection(() -> ledger.commitAll(list));
        assertThat(rejection.reason()).isEqualTo(reason);
        assertThat(rejection.blockNumber()).isEqualTo(replacement.getHeader().getNumber());
        assertSameResults(rejection.committed(), expected);
        assertThat(ledger.height()).as("exactly the prefix is committed").isEqualTo(height + bad);
        byte[] prefixState = bad == 0 ? ledger.stateHashAt(height - 1).orElseThrow() : expected.get(bad - 1).stateHash();
        assertThat(ledger.stateHash()).isEqualTo(prefixState);
        assertThat(ledger.block(height + bad)).as("nothing of the rejected block").isEmpty();
        assertThat(ledger.stateHashAt(height + bad)).isEmpty();
        java.util.Set<String> prefixIds = new java.util.HashSet<>();
        for (Block committed : chain.subList(0, bad)) {
            for (ByteString entry : committed.getData().getDataList()) {
                prefixIds.add(txId(Envelope.parseFrom(entry)));
            }
        }
        for (Block notCommitted : list.subList(bad, list.size())) {
            for (ByteString entry : notCommitted.getData().getDataList()) {
                String id = txId(Envelope.parseFrom(entry));
                if (!prefixIds.contains(id)) {
                    assertThat(ledger.transaction(id)).as("no index entry after the prefix").isEmpty();
                }
            }
        }
        assertThat(value("f")).isNull();
        // The honest rest still commits on top of the prefix.
        assertThat(ledger.commitAll(chain.subList(bad, chain.size()))).hasSize(chain.size() - bad);
    }

    private static BlockRejectedException catchRejection(ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(BlockRejectedException.class);
        return (BlockRejectedException) thrown;
    }

    @Test
    void rejectedBlockInTheMiddleCommitsExactlyThePrefixAndNothingElse() throws Exception {
        List<Block> chain = mixedChain(head());
        Block honest = chain.get(2);
        Block tampered = honest.toBuilder().setData(honest.getData().toBuilder()
                .setData(0, channel.put("f", "forged").toByteString())).build();
        assertRejectsExactlyFrom(chain, 2, tampered, Reason.WRONG_DATA_HASH);
    }

    @Test
    void badOrdererSignatureInTheMiddleCommitsExactlyThePrefix() throws Exception {
        List<Block> chain = mixedChain(head());
        Block honest = chain.get(3);
        Block forged = new BlockBuilder(channel.org1Peer).next(chain.get(2), honest.getData().getDataList());
        assertRejectsExactlyFrom(chain, 3, forged, Reason.BAD_ORDERER_SIGNATURE);
    }

    @Test
    void forkInTheMiddleIsCheckedAgainstThePreviousBlockOfTheList() throws Exception {
        List<Block> chain = mixedChain(head());
        Block honest = chain.get(1);
        Block fork = channel.blocks.build(honest.getHeader().getNumber(), ByteString.copyFrom(new byte[32]),
                honest.getData().getDataList());
        assertRejectsExactlyFrom(chain, 1, fork, Reason.WRONG_PREVIOUS_HASH);
    }

    @Test
    void rejectedFirstBlockCommitsNothing() throws Exception {
        List<Block> chain = mixedChain(head());
        Block fork = channel.blocks.build(chain.get(0).getHeader().getNumber(), ByteString.copyFrom(new byte[32]),
                chain.get(0).getData().getDataList());
        assertRejectsExactlyFrom(chain, 0, fork, Reason.WRONG_PREVIOUS_HASH);
    }

    @Test
    void outOfOrderListsAreRejectedAsWrongNumber() throws Exception {
        List<Block> chain = mixedChain(head());
        long height = ledger.height();
        BlockRejectedException swapped = catchRejection(() -> ledger.commitAll(List.of(chain.get(1), chain.get(0))));
        assertThat(swapped.reason()).isEqualTo(Reason.WRONG_NUMBER);
        assertThat(swapped.committed()).isEmpty();
        assertThat(ledger.height()).isEqualTo(height);

        BlockRejectedException gap = catchRejection(() -> ledger.commitAll(List.of(chain.get(0), chain.get(2), chain.get(1))));
        assertThat(gap.reason()).isEqualTo(Reason.WRONG_NUMBER);
        assertThat(gap.blockNumber()).isEqualTo(chain.get(2).getHeader().getNumber());
        assertThat(gap.committed()).hasSize(1);
        assertThat(ledger.height()).isEqualTo(height + 1);

        BlockRejectedException replay = catchRejection(() -> ledger.commitAll(List.of(chain.get(0))));
        assertThat(replay.reason()).isEqualTo(Reason.WRONG_NUMBER);
        assertThat(ledger.height()).isEqualTo(height + 1);
    }

    @Test
    void nonCanonicalTransactionInALaterBlockIsRejectedByCommitAll() throws Exception {
        List<Block> chain = mixedChain(head());
        ByteString canonical = channel.put("f", "1").toByteString();
        ByteString duplicateField = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("x")).build().toByteString()
                .concat(canonical);
        List<ByteString> entries = new ArrayList<>(chain.get(4).getData().getDataList());
        entries.set(17, duplicateField);
        assertRejectsExactlyFrom(chain, 4, channel.blocks.next(chain.get(3), entries), Reason.NON_CANONICAL_TRANSACTION);
    }

    /** The verifier's order decides the reason when a block fails several checks, whichever thread found each. */
    @Test
    void aBlockFailingSeveralChecksIsRejectedForTheFirstInVerifierOrder() throws Exception {
        ByteString duplicateField = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("x")).build().toByteString()
                .concat(channel.put("a", "1").toByteString());
        List<ByteString> entries = List.of(channel.put("b", "1").toByteString(), duplicateField);
        Block nonCanonicalAndForged = new BlockBuilder(channel.org1Peer).next(head(), entries);
        assertRejected(nonCanonicalAndForged, Reason.NON_CANONICAL_TRANSACTION);
        assertThat(catchRejection(() -> ledger.commitAll(List.of(nonCanonicalAndForged))).reason())
                .isEqualTo(Reason.NON_CANONICAL_TRANSACTION);
        Block honest = channel.blocks.next(head(), entries);
        Block wrongDataHashToo = honest.toBuilder().setData(honest.getData().toBuilder().addData(duplicateField)).build();
        assertRejected(wrongDataHashToo, Reason.WRONG_DATA_HASH);
        assertThat(catchRejection(() -> ledger.commitAll(List.of(wrongDataHashToo))).reason())
                .isEqualTo(Reason.WRONG_DATA_HASH);
        assertThat(ledger.height()).isEqualTo(1);
    }
}
