package io.hearsay.testnet.load;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.hearsay.testnet.client.PeerConnections;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bank transfers through the official Fabric Gateway SDK, spread over every peer of a connection profile: opens the
 * accounts, then runs closed-loop workers (each submits a transfer, waits for its commit status, submits the next)
 * until stopped, recording every outcome. A peer that fails a call (killed, partitioned) is skipped for a while and
 * the worker moves on, so load continues while faults come and go.
 */
public final class BankLoad implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BankLoad.class);
    private static final String CONTRACT = "bank";
    /** How long a peer that failed a call is left alone before a worker tries it again. */
    private static final long SUSPECT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String channel;
    private final Duration callTimeout;
    private final List<Target> targets = new ArrayList<>();
    private final ConcurrentLinkedQueue<TransferOutcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    /** Nanoseconds between transfers across all workers; 0: as fast as the workers go (closed loop). */
    private volatile long periodNanos;
    private final java.util.concurrent.atomic.AtomicLong nextSlotNanos = new java.util.concurrent.atomic.AtomicLong();
    private final List<String> accounts = new ArrayList<>();
    private ExecutorService workers;

    /** One peer with its own connection and gateway (as its organisation's client). */
    private static final class Target {
        final String peer;
        final ManagedChannel grpc;
        final Gateway gateway;
        final Contract bank;
        volatile long suspectUntilNanos;

        Target(String peer, ManagedChannel grpc, Gateway gateway, Contract bank) {
            this.peer = peer;
            this.grpc = grpc;
            this.gateway = gateway;
            this.bank = bank;
        }
    }

    public BankLoad(ConnectionProfile profile, String channel, Duration callTimeout) {
        this.channel = channel;
        this.callTimeout = callTimeout;
        for (ConnectionProfile.PeerOf peer : profile.peers()) {
            ManagedChannel grpc = PeerConnections.grpcChannel(peer);
            long millis = callTimeout.toMillis();
            Gateway gateway = PeerConnections.gateway(peer.organization(), grpc)
                    .evaluateOptions(o -> o.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                    .endorseOptions(o -> o.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                    .submitOptions(o -> o.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                    .commitStatusOptions(o -> o.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                    .connect();
            targets.add(new Target(peer.peer().name(), grpc, gateway, gateway.getNetwork(channel).getContract(CONTRACT)));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("the connection profile lists no peers");
        }
    }

    /**
     * Opens {@code count} accounts of {@code balance} each (names {@code acct-000} …), spread over the peers and
     * submitted together, and waits until each is committed. Accounts that already exist (a resumed network) are kept
     * as they are.
     */
    public void openAccounts(int count, long balance) throws InterruptedException {
        List<java.util.concurrent.CompletableFuture<TransferOutcome>> opening = new ArrayList<>();
        ExecutorService openers = Executors.newFixedThreadPool(Math.min(count, 32), r -> {
            Thread thread = new Thread(r, "bank-open");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int i = 0; i < count; i++) {
                String account = String.format("acct-%03d", i);
                accounts.add(account);
                Target target = targets.get(i % targets.size());
                opening.add(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> submit(target, "open", account, Long.toString(balance)), openers));
            }
            for (int i = 0; i < count; i++) {
                TransferOutcome outcome = opening.get(i).join();
                if (!outcome.committedValid() && (outcome.failure() == null || !outcome.failure().contains("already exists"))) {
                    throw new IllegalStateException("could not open account " + accounts.get(i) + ": "
                            + (outcome.failure() != null ? outcome.failure() : String.valueOf(outcome.code())));
                }
            }
        } finally {
            openers.shutdownNow();
        }
    }

    /** Transfers between {@code count} accounts that another load already opened (same names). */
    public void useOpenedAccounts(int count) {
        accounts.clear();
        for (int i = 0; i < count; i++) {
            accounts.add(String.format("acct-%03d", i));
        }
    }

    /** Limits the load to {@code transactionsPerSecond} across all workers (0: unlimited), from now on. */
    public void rate(double transactionsPerSecond) {
        periodNanos = transactionsPerSecond <= 0 ? 0 : (long) (1e9 / transactionsPerSecond);
    }

    public boolean running() {
        return running.get();
    }

    /**
     * A scenario's load step: transfers at {@code transactionsPerSecond} from now on, starting {@code workerCount}
     * workers (choices from {@code seed}) if none run; 0 stops them.
     */
    public void drive(double transactionsPerSecond, int workerCount, long seed) {
        if (transactionsPerSecond <= 0) {
            try {
                stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        rate(transactionsPerSecond);
        if (!running()) {
            start(workerCount, seed);
        }
    }

    /** Starts {@code workerCount} closed-loop workers; transfer choices come from {@code seed}. */
    public void start(int workerCount, long seed) {
        if (accounts.size() < 2) {
            throw new IllegalStateException("open at least two accounts first");
        }
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already running");
        }
        workers = Executors.newFixedThreadPool(workerCount, r -> {
            Thread thread = new Thread(r, "bank-load");
            thread.setDaemon(true);
            return thread;
        });
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int w = 0; w < workerCount; w++) {
            SplittableRandom random = seeds.split();
            int first = w;
            workers.execute(() -> work(random, first));
        }
    }

    private void work(SplittableRandom random, int first) {
        int next = first;
        while (running.get()) {
            Target target = targets.get(next++ % targets.size());
            if (System.nanoTime() < target.suspectUntilNanos) {
                if (targets.stream().allMatch(t -> System.nanoTime() < t.suspectUntilNanos)) {
                    pause();
                }
                continue;
            }
            if (target.suspectUntilNanos != 0) {
                // Its time out is over: reconnect now rather than after gRPC's own backoff, which grows while a peer
                // is down and would keep failing calls fast long after it came back.
                target.suspectUntilNanos = 0;
                target.grpc.resetConnectBackoff();
            }
            awaitSlot();
            String from = accounts.get(random.nextInt(accounts.size()));
            String to = accounts.get(random.nextInt(accounts.size()));
            if (from.equals(to)) {
                continue;
            }
            TransferOutcome outcome = submit(target, "transfer", from, to, Long.toString(1 + random.nextInt(5)));
            outcomes.add(outcome);
        }
    }

    /** Under a rate limit, waits for this worker's turn: one slot per period, shared by every worker. */
    private void awaitSlot() {
        long period = periodNanos;
        if (period == 0) {
            return;
        }
        long slot = nextSlotNanos.getAndUpdate(previous -> Math.max(previous, System.nanoTime()) + period);
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50); // every peer is suspect: back off rather than spin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private TransferOutcome submit(Target target, String function, String... args) {
        long start = System.nanoTime();
        String transactionId = "";
        try {
            SubmittedTransaction submitted = target.bank.newProposal(function).addArguments(args).build().endorse()
                    .submitAsync();
            transactionId = submitted.getTransactionId();
            var status = submitted.getStatus();
            return new TransferOutcome(transactionId, target.peer, start, System.nanoTime(), status.getCode(),
                    status.getBlockNumber(), null);
        } catch (GatewayException | GatewayRuntimeException e) {
            Status.Code code = e instanceof GatewayException g ? g.getStatus().getCode() : Status.Code.UNKNOWN;
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                target.suspectUntilNanos = System.nanoTime() + SUSPECT_NANOS;
            }
            String details = e instanceof GatewayException g
                    ? g.getDetails().stream().map(d -> d.getMspId() + ": " + d.getMessage()).toList().toString() : "";
            return new TransferOutcome(transactionId, target.peer, start, System.nanoTime(), null, -1,
                    code + ": " + e.getMessage() + " " + details);
        } catch (RuntimeException e) {
            target.suspectUntilNanos = System.nanoTime() + SUSPECT_NANOS;
            LOG.debug("transfer through {} failed", target.peer, e);
            return new TransferOutcome(transactionId, target.peer, start, System.nanoTime(), null, -1, e.toString());
        }
    }

    /** Stops the workers and waits for the transfers in flight to finish (each bounded by the call timeout). */
    public void stop() throws InterruptedException {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        workers.shutdown();
        if (!workers.awaitTermination(callTimeout.toMillis() * 4 + 1_000, TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
        }
    }

    public List<TransferOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    public List<String> accounts() {
        return List.copyOf(accounts);
    }

    /** The total of all balances as {@code peer} reports it ({@code bank.total()}), waiting for its connection. */
    public long total(int peerIndex) throws GatewayException {
        Target target = targets.get(peerIndex);
        target.grpc.resetConnectBackoff();
        byte[] total = target.bank.newProposal("total").build()
                .evaluate(options -> options.withWaitForReady().withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS));
        return Long.parseLong(new String(total, StandardCharsets.UTF_8));
    }

    public String channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        for (Target target : targets) {
            target.gateway.close();
            target.grpc.shutdownNow();
        }
    }
}
