package io.hearsay.peer.contract;

import static io.hearsay.peer.contract.ScriptedContract.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.PHANTOM_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

import io.hearsay.peer.endorse.TestChannel;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Range reads are bounded: a whole-range read over the limit is refused with advice to page, a paged read returns
 * at most its limit and records only what it returned; and, end to end on a real ledger, a range read that another
 * transaction changed between simulation and commit makes its transaction a phantom, its writes unapplied.
 * Committed keys: a, c, e in namespace {@code kv}.
 */
class RangeReadTest {
    private static final SimulationLimits THREE = new SimulationLimits(3);

    @TempDir
    Path directory;
    private TestChannel channel;
    private ContractRunner runner;
    private final KvContract kv = new KvContract();

    @BeforeEach
    void open() throws Exception {
        channel = new TestChannel(directory, 1);
        runner = new ContractRunner(channel);
        for (String key : List.of("a", "c", "e")) {
            runner.submit(kv, "put", key, "1");
        }
    }

    @AfterEach
    void close() {
        channel.close();
    }

    /** Reads [start, end) whole and writes how many entries it saw under {@code seen}. */
    private static Contract countRange(String start, String end) {
        return new ScriptedContract((stub, args) -> {
            String count = Integer.toString(stub.range(start, end).size());
            stub.put("seen", bytes(count));
            return bytes(count);
        });
    }

    /** Reads one page of at most {@code limit} entries of [start, end) and writes the keys it saw under {@code seen}. */
    private static Contract page(String start, String end, int limit) {
        return new ScriptedContract((stub, args) -> {
            String keys = String.join(",", stub.range(start, end, limit).stream().map(KeyValue::key).toList());
            stub.put("seen", bytes(keys));
            return bytes(keys);
        });
    }

    private static List<String> keys(RangeQueryInfo range) {
        return range.getRawReads().getKvReadsList().stream().map(KVRead::getKey).toList();
    }

    @Test
    void aWholeRangeUpToTheLimitIsReadAndOneOverItIsRefusedWithAdviceToPage() throws Exception {
        assertThat(new String(runner.simulate(THREE, countRange("", ""), "run").result())).isEqualTo("3");
        runner.submit(kv, "put", "g", "1");

        assertThatThrownBy(() -> runner.simulate(THREE, countRange("", ""), "run"))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("holds more than 3 entries")
                .hasMessageContaining("range(start, end, limit)");
        assertThat(new String(runner.simulate(THREE, countRange("b", ""), "run").result())).isEqualTo("3");
    }

    @Test
    void aPageReturnsAtMostItsLimitAndRecordsItsLastKeyAsAnInclusiveEnd() throws Exception {
        SimulationResult first = runner.simulate(THREE, page("a", "z", 2), "run");
        assertThat(new String(first.result())).isEqualTo("a,c");
        RangeQueryInfo firstRange = first.readWriteSet().getRangeQueriesInfo(0);
        assertThat(firstRange.getItrExhausted()).isFalse();
        assertThat(firstRange.getEndKey()).as("the last key read").isEqualTo("c");
        assertThat(keys(firstRange)).containsExactly("a", "c");

        SimulationResult rest = runner.simulate(THREE, page("c\0", "z", 2), "run");
        assertThat(new String(rest.result())).isEqualTo("e");
        RangeQueryInfo restRange = rest.readWriteSet().getRangeQueriesInfo(0);
        assertThat(restRange.getItrExhausted()).as("fewer than the limit: the range ended").isTrue();
        assertThat(restRange.getEndKey()).isEqualTo("z");
    }

    @Test
    void aLimitOutsideOneToTheMaximumOrAnInvertedRangeIsAContractError() {
        for (Contract misuse : List.of(page("a", "z", 0), page("a", "z", 4), countRange("z", "a"))) {
            assertThatThrownBy(() -> runner.simulate(THREE, misuse, "run"))
                    .isInstanceOf(ContractException.class).hasMessageContaining("misused its stub");
        }
    }

    @Test
    void aKeyInsertedIntoARangeBetweenSimulationAndCommitMakesAPhantom() throws Exception {
        Contract contract = countRange("a", "z");
        SimulationResult unchanged = runner.simulate(contract, "run");
        assertThat(runner.commit(runner.transaction(contract, unchanged)).validationCodes()).containsExactly(VALID);

        SimulationResult raced = runner.simulate(contract, "run");
        runner.submit(kv, "put", "b", "1");
        assertThat(runner.commit(runner.transaction(contract, raced)).validationCodes())
                .containsExactly(PHANTOM_READ_CONFLICT);
        assertThat(runner.ledger.state(KvContract.NAME, "seen").orElseThrow().value().toStringUtf8())
                .as("the phantom's write is not applied").isEqualTo("3");
    }

    @Test
    void aPagedReadIsInvalidatedOnlyByChangesWithinThePageItRead() throws Exception {
        Contract firstTwo = page("a", "z", 2);
        SimulationResult beforeD = runner.simulate(firstTwo, "run");
        SimulationResult beforeB = runner.simulate(firstTwo, "run");

        runner.submit(kv, "put", "d", "1");
        assertThat(runner.commit(runner.transaction(firstTwo, beforeD)).validationCodes())
                .as("d is after the last key read").containsExactly(VALID);
        runner.submit(kv, "put", "b", "1");
        assertThat(runner.commit(runner.transaction(firstTwo, beforeB)).validationCodes())
                .containsExactly(PHANTOM_READ_CONFLICT);
    }

    @Test
    void bankTotalPagesThroughAnyNumberOfAccounts() throws Exception {
        BankContract bank = new BankContract();
        for (String account : List.of("alice", "bob", "carol", "dave")) {
            runner.submit(bank, "open", account, "25");
        }
        SimulationResult total = runner.simulate(THREE, bank, "total");
        assertThat(new String(total.result())).isEqualTo("100");
        assertThat(total.readWriteSet().getRangeQueriesInfoList()).extracting(RangeQueryInfo::getItrExhausted)
                .containsExactly(false, true);
    }
}
