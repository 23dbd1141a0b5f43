package io.hearsay.testnet.demo;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.ledger.Version;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The client side of a bank kept on the ledger: accounts whose balances move only by transfers, each of
 * which reads both accounts at the versions the client last saw and writes both, so the total balance
 * never changes.
 *
 * <p>The client predicts every transaction's validation code. It applies its own fresh transfers to its
 * view with the version the ledger will give them, (block, position), so the next transfer reads current
 * versions and is VALID. A deliberately stale transfer reads an account as it was before its last change,
 * as a client holding an old query result would; its writes, computed from the old balance, would create
 * or destroy money, and MVCC must reject it with {@code MVCC_READ_CONFLICT}.
 *
 * <p>Deterministic for a seed: accounts live in a sorted map and every choice comes from one
 * {@link SplittableRandom}.
 */
final class Bank {
    static final String ACCOUNT_PREFIX = "account-";
    /** A transfer moves at most this much, so balances drift slowly and rarely reach zero. */
    private static final long TRANSFER_AMOUNT_MAX = 100;
    /** The transaction time is fixed: nothing in the ledger reads it, and fixed inputs keep runs comparable. */
    private static final Timestamp TIMESTAMP = Timestamp.newBuilder().setSeconds(1_700_000_000L).build();

    /** One account as the client sees it. */
    record Account(long balance, Version version) {}

    /** A transaction and the code the client expects the ledger to give it. */
    record Planned(Envelope envelope, TxValidationCode expected) {}

    private final SampleChannel channel;
    private final SplittableRandom random;
    private final int stalePercent;
    private final TreeMap<String, Account> current = new TreeMap<>();
    /** Each account as it was before its last change: what a stale client still believes. Lookups only. */
    private final Map<String, Account> previous = new HashMap<>();

    /** @param stalePercent the share of transfers, in percent, built from a stale read on purpose */
    Bank(SampleChannel channel, long seed, int stalePercent) {
        this.channel = channel;
        this.random = new SplittableRandom(seed);
        this.stalePercent = stalePercent;
    }

    /** Opens {@code accounts} accounts of {@code balance} each: blind writes, the transaction at (block, position). */
    Planned open(int accounts, long balance, long block, int position) {
        KVRWSet.Builder rwSet = KVRWSet.newBuilder();
        for (int i = 0; i < accounts; i++) {
            String name = String.format("%s%02d", ACCOUNT_PREFIX, i);
            rwSet.addWrites(SampleChannel.write(name, Long.toString(balance)));
            current.put(name, new Account(balance, new Version(block, position)));
        }
        return new Planned(envelope(rwSet.build(), "open", Integer.toString(accounts), Long.toString(balance)),
                TxValidationCode.VALID);
    }

    /** A transfer between two accounts, stale on purpose {@code stalePercent} of the time when it can be. */
    Planned transfer(long block, int position) {
        List<String> names = new ArrayList<>(current.keySet());
        String from = payer(names);
        String to = names.get((names.indexOf(from) + 1 + random.nextInt(names.size() - 1)) % names.size());
        boolean stale = random.nextInt(100) < stalePercent && (previous.containsKey(from) || previous.containsKey(to));
        Account payer = stale ? previous.getOrDefault(from, current.get(from)) : current.get(from);
        Account payee = stale ? previous.getOrDefault(to, current.get(to)) : current.get(to);
        long amount = 1 + random.nextLong(Math.max(1, Math.min(TRANSFER_AMOUNT_MAX, payer.balance())));
        KVRWSet rwSet = KVRWSet.newBuilder()
                .addReads(SampleChannel.read(from, payer.version()))
                .addReads(SampleChannel.read(to, payee.version()))
                .addWrites(SampleChannel.write(from, Long.toString(payer.balance() - amount)))
                .addWrites(SampleChannel.write(to, Long.toString(payee.balance() + amount)))
                .build();
        Envelope envelope = envelope(rwSet, "transfer", from, to, Long.toString(amount));
        if (stale) {
            return new Planned(envelope, TxValidationCode.MVCC_READ_CONFLICT);
        }
        Version version = new Version(block, position);
        apply(from, new Account(payer.balance() - amount, version));
        apply(to, new Account(payee.balance() + amount, version));
        return new Planned(envelope, TxValidationCode.VALID);
    }

    /** The accounts' names, sorted. */
    List<String> accounts() {
        return List.copyOf(current.keySet());
    }

    /** The total the client believes in; equal to what was opened, since transfers conserve it. */
    long total() {
        return current.values().stream().mapToLong(Account::balance).sum();
    }

    /** A random account with money; one exists because transfers conserve a positive total. */
    private String payer(List<String> names) {
        int start = random.nextInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get((start + i) % names.size());
            if (current.get(name).balance() > 0) {
                return name;
            }
        }
        throw new IllegalStateException("no account has money: the bank was opened with a zero balance");
    }

    private void apply(String name, Account next) {
        previous.put(name, current.get(name));
        current.put(name, next);
    }

    private Envelope envelope(KVRWSet rwSet, String function, String... args) {
        List<ByteString> arguments = new ArrayList<>();
        arguments.add(ByteString.copyFromUtf8(function));
        for (String arg : args) {
            arguments.add(ByteString.copyFromUtf8(arg));
        }
        return EndorserTransactions.build(SampleChannel.CHANNEL, SampleChannel.CHAINCODE, channel.client,
                channel.nextNonce(), TIMESTAMP, arguments, rwSet, List.of(channel.org1Peer, channel.org2Peer));
    }
}
