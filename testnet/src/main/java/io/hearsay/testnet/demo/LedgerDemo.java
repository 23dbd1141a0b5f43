package io.hearsay.testnet.demo;

import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.CommitResult;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.VersionedValue;
import io.hearsay.ledger.sample.SampleChannel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The ledger demo: a bank on a RocksDB ledger of a two-organisation channel.
 *
 * <pre>
 * crypto (2 peer orgs + orderer org) → genesis → open RocksDB ledger
 *   → N blocks of transfers (block 1 opens the accounts; some transfers stale on purpose), full validation
 *   → close → reopen from disk → report height, hashes, codes, and the invariant "total = initial total"
 * </pre>
 *
 * It fails (throws) if the ledger and the client disagree: a code the client did not predict, a reopened
 * ledger whose head differs from the one closed, or a total balance that changed.
 */
public final class LedgerDemo {
    /** Few accounts, so transfers collide often and stale reads are easy to make. */
    static final int ACCOUNTS = 8;
    static final long INITIAL_BALANCE = 1_000;
    /** About one transfer in ten is stale: enough to show MVCC at work, few enough to keep the bank moving. */
    static final int STALE_PERCENT = 10;

    /**
     * @param blocks blocks of transfers after the genesis block
     * @param transfersPerBlock transfers per block (block 1 also carries the transaction opening the accounts)
     * @param seed picks accounts, amounts and which transfers are stale
     */
    public record Config(int blocks, int transfersPerBlock, long seed) {
        public static final int BLOCKS_DEFAULT = 20;
        public static final int BLOCKS_MAX = 10_000;
        public static final int TRANSFERS_PER_BLOCK_DEFAULT = 10;
        public static final int TRANSFERS_PER_BLOCK_MAX = 1_000;
        public static final long SEED_DEFAULT = 1;

        public Config {
            if (blocks < 1 || blocks > BLOCKS_MAX) {
                throw new IllegalArgumentException("blocks is " + blocks + "; it must be between 1 and " + BLOCKS_MAX);
            }
            if (transfersPerBlock < 1 || transfersPerBlock > TRANSFERS_PER_BLOCK_MAX) {
                throw new IllegalArgumentException("transfersPerBlock is " + transfersPerBlock
                        + "; it must be between 1 and " + TRANSFERS_PER_BLOCK_MAX);
            }
        }
    }

    /** The ledger's head as seen before closing, to compare with the reopened one. */
    private record Head(long height, byte[] headHash, byte[] stateHash) {
        static Head of(Ledger ledger) {
            return new Head(ledger.height(), ledger.headHash(), ledger.stateHash());
        }

        boolean sameAs(Head other) {
            return height == other.height && Arrays.equals(headHash, other.headHash)
                    && Arrays.equals(stateHash, other.stateHash);
        }
    }

    private final Config config;
    private final PrintWriter out;

    public LedgerDemo(Config config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    /**
     * Runs the demo in {@code directory} (crypto material in {@code crypto/}, the ledger in {@code ledger/}).
     *
     * @throws IllegalStateException if any of the demo's checks fails; the report above it says which
     */
    public void run(Path directory) throws BlockRejectedException {
        SampleChannel channel = new SampleChannel(directory.resolve("crypto"));
        line("crypto material", "Org1MSP and Org2MSP (one peer, one client each), OrdererMSP; endorsement policy"
                + " 2 of Org1MSP, Org2MSP");
        Path ledgerDirectory = directory.resolve("ledger");
        Bank bank = new Bank(channel, config.seed(), STALE_PERCENT);
        Map<TxValidationCode, Long> codes = new EnumMap<>(TxValidationCode.class);
        int unpredicted = 0;
        long started = System.nanoTime();
        Head closed;
        try (Ledger ledger = Ledgers.rocks(ledgerDirectory, channel.genesis, LedgerOptions.defaults())) {
            Block previous = channel.genesis;
            for (long number = 1; number <= config.blocks(); number++) {
                List<Bank.Planned> planned = plan(bank, number);
                Block block = channel.next(previous, planned.stream().map(Bank.Planned::envelope).toArray(Envelope[]::new));
                CommitResult result = ledger.commit(block);
                for (int i = 0; i < planned.size(); i++) {
                    TxValidationCode code = result.validationCodes().get(i);
                    codes.merge(code, 1L, Long::sum);
                    unpredicted += code == planned.get(i).expected() ? 0 : 1;
                }
                previous = block;
            }
            closed = Head.of(ledger);
        }
        long transactions = codes.values().stream().mapToLong(Long::longValue).sum();
        line("committed", String.format(Locale.ROOT, "%d blocks, %d transactions in %.2f s (full validation,"
                + " synced write per block)", config.blocks(), transactions, (System.nanoTime() - started) / 1e9));
        try (Ledger reopened = Ledgers.rocks(ledgerDirectory, channel.genesis, LedgerOptions.defaults())) {
            Head head = Head.of(reopened);
            boolean resumed = head.sameAs(closed);
            line("reopened", "closed and reopened from disk: " + (resumed
                    ? "resumes at the same height, head hash and state hash" : "DIFFERS from the ledger as closed"));
            long total = totalBalance(reopened, bank.accounts());
            long initialTotal = ACCOUNTS * INITIAL_BALANCE;
            report(head, codes, unpredicted, total, initialTotal);
            check(resumed, unpredicted, total, initialTotal, bank.total());
        }
    }

    /** Block 1 opens the accounts first; every block then carries the configured number of transfers. */
    private List<Bank.Planned> plan(Bank bank, long number) {
        List<Bank.Planned> planned = new ArrayList<>();
        if (number == 1) {
            planned.add(bank.open(ACCOUNTS, INITIAL_BALANCE, number, 0));
        }
        for (int i = 0; i < config.transfersPerBlock(); i++) {
            planned.add(bank.transfer(number, planned.size()));
        }
        return planned;
    }

    private void report(Head head, Map<TxValidationCode, Long> codes, int unpredicted, long total, long initialTotal) {
        HexFormat hex = HexFormat.of();
        line("height", Long.toString(head.height()));
        line("head hash", hex.formatHex(head.headHash()));
        line("state hash", hex.formatHex(head.stateHash()));
        line("transactions", codes.entrySet().stream().map(e -> e.getKey().name() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + " (blocks 1-" + config.blocks() + ")");
        line("client model", unpredicted == 0 ? "every code as the client predicted (stale transfers rejected by MVCC)"
                : unpredicted + " transaction(s) got a code the client did not predict");
        line("invariant", String.format(Locale.ROOT, "total balance = initial total: %d = %d (%s)", total,
                initialTotal, total == initialTotal ? "holds" : "BROKEN"));
        out.flush();
    }

    private static void check(boolean resumed, int unpredicted, long total, long initialTotal, long clientTotal) {
        List<String> failures = new ArrayList<>();
        if (!resumed) {
            failures.add("the reopened ledger differs from the one closed");
        }
        if (unpredicted > 0) {
            failures.add(unpredicted + " validation code(s) differ from the client's prediction");
        }
        if (total != initialTotal || clientTotal != initialTotal) {
            failures.add("the total balance changed from " + initialTotal + " to " + total);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the demo's checks failed: " + String.join("; ", failures)
                    + ". This is a ledger bug: please report it with the output above");
        }
    }

    private static long totalBalance(Ledger ledger, List<String> accounts) {
        long total = 0;
        for (String account : accounts) {
            total += ledger.state(SampleChannel.CHAINCODE, account).map(VersionedValue::value)
                    .map(value -> Long.parseLong(value.toStringUtf8())).orElse(0L);
        }
        return total;
    }

    private void line(String label, String value) {
        out.printf(Locale.ROOT, "  %-16s %s%n", label, value);
    }
}
