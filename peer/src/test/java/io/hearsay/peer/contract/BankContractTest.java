package io.hearsay.peer.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.ledger.CommitResult;
import io.hearsay.peer.endorse.TestChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in {@code bank} contract on a real ledger: each refusal, and the invariant the consistency checks
 * rely on — once accounts are open, the total never changes, even under many transfers, refused ones and two
 * conflicting transfers committed in one block.
 */
class BankContractTest {
    private static final List<String> ACCOUNTS = List.of("alice", "bob", "carol");

    @TempDir
    Path directory;
    private TestChannel channel;
    private ContractRunner runner;
    private final BankContract bank = new BankContract();

    @BeforeEach
    void open() throws Exception {
        channel = new TestChannel(directory, 1);
        runner = new ContractRunner(channel);
        for (String account : ACCOUNTS) {
            runner.submit(bank, "open", account, "100");
        }
    }

    @AfterEach
    void close() {
        channel.close();
    }

    @Test
    void balancesAreStoredAsDecimalText() throws Exception {
        assertThat(runner.evaluate(bank, "balance", "alice")).isEqualTo("100");
        assertThat(runner.ledger.state("bank", "alice").orElseThrow().value().toStringUtf8()).isEqualTo("100");
        assertThat(runner.evaluate(bank, "total")).isEqualTo("300");
    }

    @Test
    void transferMovesMoney() throws Exception {
        assertThat(runner.submit(bank, "transfer", "alice", "bob", "30")).isEqualTo("70");

        assertThat(runner.evaluate(bank, "balance", "alice")).isEqualTo("70");
        assertThat(runner.evaluate(bank, "balance", "bob")).isEqualTo("130");
    }

    @Test
    void refusals() {
        assertRefused("insufficient funds: account 'alice' has 100, cannot transfer 101", "transfer", "alice", "bob", "101");
        assertRefused("account 'dave' does not exist", "transfer", "alice", "dave", "1");
        assertRefused("account 'dave' does not exist", "transfer", "dave", "alice", "1");
        assertRefused("amount must be positive", "transfer", "alice", "bob", "0");
        assertRefused("amount must be positive", "transfer", "alice", "bob", "-5");
        assertRefused("to itself", "transfer", "alice", "alice", "1");
        assertRefused("must be a whole number", "transfer", "alice", "bob", "ten");
        assertRefused("already exists", "open", "alice", "5");
        assertRefused("negative amount", "open", "dave", "-1");
        assertRefused("does not exist", "balance", "dave");
        assertRefused("expected 0 arguments", "total", "x");
    }

    @Test
    void totalIsOneRangeReadRecordedWithTheVersionsItSaw() throws Exception {
        SimulationResult total = runner.simulate(bank, "total");

        assertThat(total.readWriteSet().getWritesList()).isEmpty();
        RangeQueryInfo range = total.readWriteSet().getRangeQueriesInfo(0);
        assertThat(range.getItrExhausted()).isTrue();
        assertThat(range.getRawReads().getKvReadsList()).extracting(read -> read.getKey()).containsExactlyElementsOf(ACCOUNTS);
        assertThat(range.getRawReads().getKvReads(0).getVersion().getBlockNum()).isEqualTo(1);
    }

    @Test
    void totalIsConservedAcrossManyTransfers() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            String from = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
            String to = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
            String amount = Integer.toString(1 + random.nextInt(80));
            try {
                runner.submit(bank, "transfer", from, to, amount);
            } catch (ContractException e) {
                refused++;
            }
            assertThat(runner.evaluate(bank, "total")).as("after transfer %d (seed 42)", i).isEqualTo("300");
        }
        assertThat(refused).as("the run exercised refusals too").isPositive();
    }

    @Test
    void twoConflictingTransfersInOneBlockCommitOnlyTheFirst() throws Exception {
        SimulationResult first = runner.simulate(bank, "transfer", "alice", "bob", "60");
        SimulationResult second = runner.simulate(bank, "transfer", "alice", "carol", "60");

        CommitResult result = runner.commit(runner.transaction(bank, first), runner.transaction(bank, second));

        assertThat(result.validationCodes()).containsExactly(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(runner.evaluate(bank, "balance", "alice")).isEqualTo("40");
        assertThat(runner.evaluate(bank, "total")).isEqualTo("300");
    }

    private void assertRefused(String message, String function, String... args) {
        assertThatThrownBy(() -> runner.simulate(bank, function, args))
                .isInstanceOf(ContractException.class).hasMessageContaining(message);
    }
}
