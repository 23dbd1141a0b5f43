package io.hearsay.ledger;

import static io.hearsay.ledger.sample.SampleChannel.delete;
import static io.hearsay.ledger.sample.SampleChannel.range;
import static io.hearsay.ledger.sample.SampleChannel.read;
import static io.hearsay.ledger.sample.SampleChannel.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.PHANTOM_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

import io.hearsay.ledger.CommitPlanner.Head;
import io.hearsay.ledger.CommitPlanner.Plan;
import io.hearsay.ledger.state.StateCodec;
import io.hearsay.ledger.state.StateHash;
import io.hearsay.ledger.storage.InMemoryStorage;
import io.hearsay.ledger.storage.Keyspace;
import io.hearsay.ledger.storage.StorageBatch;
import io.hearsay.ledger.validation.CheckedTransaction;
import io.hearsay.ledger.validation.CheckedTransaction.NamespaceReadWriteSet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.junit.jupiter.api.Test;

/**
 * The phantom check reads through the batch of the block before when that batch is not written yet, as the
 * commit pipeline plans: block 2 is planned on block 1's plan without writing it, so only the plan can tell
 * the range query that b appeared and c went. (The ledger contract tests the same through {@code commitAll},
 * where whether the write is still in flight depends on timing; here it always is.)
 */
class PhantomReadsPlanningTest {
    private static final String NAMESPACE = "kv";

    @Test
    void aRangeQuerySeesTheUnwrittenBatchOfTheBlockBefore() {
        InMemoryStorage storage = new InMemoryStorage();
        Version v0 = new Version(0, 0);
        storage.write(new StorageBatch()
                .put(Keyspace.STATE, StateCodec.key(NAMESPACE, "a"), StateCodec.value(bytes("1"), v0))
                .put(Keyspace.STATE, StateCodec.key(NAMESPACE, "c"), StateCodec.value(bytes("1"), v0)));
        CommitPlanner planner = new CommitPlanner(storage, LedgerOptions.DEFAULT_STATE_CACHE_BYTES);
        Head afterZero = new Head(1, new byte[32], StateHash.empty());

        Plan one = planner.plan(block(1), List.of(transaction("t1", KVRWSet.newBuilder()
                .addWrites(write("b", "1")).addWrites(delete("c")).build())), afterZero);
        Plan two = planner.plan(block(2), List.of(
                transaction("t2", rangeRead(range("a", "d", true, read("a", v0), read("c", v0)))),
                transaction("t3", rangeRead(range("a", "d", true, read("a", v0), read("b", new Version(1, 0)))))),
                one.head(), one);

        assertThat(two.codes()).containsExactly(PHANTOM_READ_CONFLICT, VALID);
        assertThat(storage.get(Keyspace.STATE, StateCodec.key(NAMESPACE, "b"))).as("block 1 unwritten").isNull();
    }

    private static KVRWSet rangeRead(RangeQueryInfo range) {
        return KVRWSet.newBuilder().addRangeQueriesInfo(range).addWrites(write("r", "x")).build();
    }

    private static CheckedTransaction transaction(String id, KVRWSet kvRwSet) {
        return new CheckedTransaction(VALID, id, List.of(new NamespaceReadWriteSet(NAMESPACE, kvRwSet)), "");
    }

    private static Block block(long number) {
        return Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(number)).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
