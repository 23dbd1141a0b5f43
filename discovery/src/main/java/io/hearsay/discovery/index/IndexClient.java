package io.hearsay.discovery.index;

import io.hearsay.discovery.index.IndexMessage.ListPeers;
import io.hearsay.discovery.index.IndexMessage.Lookup;
import io.hearsay.discovery.index.IndexMessage.LookupReply;
import io.hearsay.discovery.index.IndexMessage.PeerList;
import io.hearsay.discovery.index.IndexMessage.Register;
import io.hearsay.discovery.index.IndexMessage.Registered;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A peer's side of the central index: join = register and take the peers the server returns; lookup = ask
 * whether a peer is registered; list = every registered peer. Each request is retried {@code attempts} times,
 * {@code requestTimeout} apart, and then reported failed, so a dead server means a definite failure within
 * attempts × requestTimeout.
 * One request at a time, in order; the rest wait in a queue bounded by {@link #QUEUED_MAX}.
 *
 * <p>Not thread-safe: one serial context.
 */
public final class IndexClient implements MessageHandler<IndexMessage> {
    /** Requests waiting behind the one in flight; beyond this a request fails at once. */
    public static final int QUEUED_MAX = 1_024;

    /** A join's outcome: the peers the index gave, or why it failed. */
    public record JoinResult(boolean joined, List<PkiId> peers, String reason) {}

    /** A lookup's outcome: {@code answered == false} means the index could not be reached. */
    public record LookupResult(PkiId target, boolean answered, boolean registered) {}

    private interface Request {
        IndexMessage message();

        /** Whether {@code reply} answers this request; if so, completes it. */
        boolean complete(IndexMessage reply);

        void fail(String reason);
    }

    private final PkiId server;
    private final IndexConfig config;
    private final PeerRuntime runtime;
    private final Transport<IndexMessage> transport;
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private Request current;
    private int attempt;
    private Scheduler.Timer timer;
    private long requestsSent;

    public IndexClient(PkiId server, IndexConfig config, PeerRuntime runtime, Transport<IndexMessage> transport) {
        this.server = server;
        this.config = config;
        this.runtime = runtime;
        this.transport = transport;
    }

    public void join(Consumer<JoinResult> callback) {
        enqueue(new Request() {
            @Override
            public IndexMessage message() {
                return new Register(config.peersPerReply());
            }

            @Override
            public boolean complete(IndexMessage reply) {
                if (!(reply instanceof Registered registered)) {
                    return false;
                }
                callback.accept(new JoinResult(registered.accepted(), registered.peers(), registered.reason()));
                return true;
            }

            @Override
            public void fail(String reason) {
                callback.accept(new JoinResult(false, List.of(), reason));
            }
        });
    }

    public void lookup(PkiId target, Consumer<LookupResult> callback) {
        enqueue(new Request() {
            @Override
            public IndexMessage message() {
                return new Lookup(target);
            }

            @Override
            public boolean complete(IndexMessage reply) {
                if (!(reply instanceof LookupReply answer) || !answer.target().equals(target)) {
                    return false;
                }
                callback.accept(new LookupResult(target, true, answer.registered()));
                return true;
            }

            @Override
            public void fail(String reason) {
                callback.accept(new LookupResult(target, false, false));
            }
        });
    }

    /** Asks for up to {@code peersMax} registered peers; the callback gets them, or empty if the index is unreachable. */
    public void listPeers(int peersMax, Consumer<Optional<List<PkiId>>> callback) {
        enqueue(new Request() {
            @Override
            public IndexMessage message() {
                return new ListPeers(peersMax);
            }

            @Override
            public boolean complete(IndexMessage reply) {
                if (!(reply instanceof PeerList list)) {
                    return false;
                }
                callback.accept(Optional.of(list.peers()));
                return true;
            }

            @Override
            public void fail(String reason) {
                callback.accept(Optional.empty());
            }
        });
    }

    private void enqueue(Request request) {
        if (queue.size() >= QUEUED_MAX) {
            request.fail("more than " + QUEUED_MAX + " index requests queued");
            return;
        }
        queue.add(request);
        if (current == null) {
            next();
        }
    }

    private void next() {
        current = queue.poll();
        attempt = 0;
        if (current != null) {
            transmit();
        }
    }

    private void transmit() {
        attempt++;
        requestsSent++;
        Request request = current;
        transport.send(server, request.message());
        timer = runtime.scheduler().schedule(config.requestTimeoutMillis(), () -> {
            if (current != request) {
                return;
            }
            if (attempt < config.attempts()) {
                transmit();
            } else {
                current = null;
                request.fail("index server " + server + " did not answer " + config.attempts() + " requests, "
                        + config.requestTimeoutMillis() + " ms apart");
                next();
            }
        });
    }

    @Override
    public void onMessage(PkiId from, IndexMessage message) {
        if (!from.equals(server) || current == null) {
            return;
        }
        Request request = current;
        if (request.complete(message)) {
            timer.cancel();
            current = null;
            next();
        }
    }

    public long requestsSent() {
        return requestsSent;
    }
}
