package io.hearsay.testnet.sim;

import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Simulated links between peers on one {@link EventLoop}: latency, per-sender bandwidth, loss, partitions
 * and crashes, all drawn from one seeded source. Counts every peer's traffic and folds every delivery into
 * a trace hash, so two runs of one seed can be shown identical by comparing one number.
 *
 * @param <M> the protocol's message type
 */
public final class SimulatedNetwork<M> {
    // One row of PEER_FIELDS longs per peer, so a delivery reads its two peers' state from two cache lines
    // rather than from seven arrays: at 100,000 peers every array access is a cache miss.
    private static final int CRASHED = 0;
    private static final int PARTITION = 1;
    private static final int MESSAGES_RECEIVED = 2;
    private static final int BYTES_RECEIVED = 3;
    private static final int UPLINK_FREE_AT_MICROS = 4;
    private static final int MESSAGES_SENT = 5;
    private static final int BYTES_SENT = 6;
    private static final int PEER_FIELDS = 8;

    private final EventLoop loop;
    private final RandomSource random;
    private final ToIntFunction<M> sizeOf;
    private LinkModel link;
    private int count;
    private PkiId[] ids = new PkiId[0];
    private MessageHandler<M>[] handlers = newHandlers(0);
    private long[] peerState = new long[0];
    /**
     * PKI-ID to index, open addressing: a slot's PKI-ID (null: empty) and, in a parallel array, its index. Looked up
     * on every send: the slot's ID and its index are two loads issued together, where an int table of indexes into
     * {@link #ids} made the second wait for the first (and a {@code HashMap<PkiId, Integer>} costs a node and a
     * boxed value).
     */
    private PkiId[] slotIds = new PkiId[16];
    private int[] slotIndexes = new int[16];
    private long dropped;
    private long traceHash = 0xcbf29ce484222325L;

    public SimulatedNetwork(EventLoop loop, RandomSource random, LinkModel link, ToIntFunction<M> sizeOf) {
        this.loop = loop;
        this.random = random;
        this.link = link;
        this.sizeOf = sizeOf;
    }

    @SuppressWarnings("unchecked")
    private static <M> MessageHandler<M>[] newHandlers(int length) {
        return new MessageHandler[length];
    }

    /**
     * Adds a peer; returns its index. The handler is called on delivery while the peer is up; it may be null
     * if {@link #setHandler} gives it before the first delivery (a protocol needs its transport, so its peer
     * must be in the network, before it exists).
     */
    public int add(PkiId id, MessageHandler<M> handler) {
        if (find(id) >= 0) {
            throw new IllegalArgumentException("peer " + id + " is already in the network");
        }
        if (count == ids.length) {
            // Grow geometrically: adding n peers one by one stays O(n).
            reserve(Math.max(16, ids.length * 2));
        }
        int index = count++;
        ids[index] = id;
        handlers[index] = handler;
        if (count * 2 > slotIds.length) {
            rehash(slotIds.length * 2);
        } else {
            insert(index);
        }
        return index;
    }

    /** Pre-sizes the tables for {@code peers} peers, so adding 100,000 is not quadratic. */
    public void reserve(int peers) {
        if (peers <= ids.length) {
            return;
        }
        ids = Arrays.copyOf(ids, peers);
        handlers = Arrays.copyOf(handlers, peers);
        peerState = Arrays.copyOf(peerState, peers * PEER_FIELDS);
        int capacity = slotIds.length;
        while (capacity < peers * 2) {
            capacity *= 2;
        }
        if (capacity != slotIds.length) {
            rehash(capacity);
        }
    }

    private void rehash(int capacity) {
        slotIds = new PkiId[capacity];
        slotIndexes = new int[capacity];
        for (int i = 0; i < count; i++) {
            insert(i);
        }
    }

    private void insert(int index) {
        int mask = slotIds.length - 1;
        int slot = ids[index].hashCode() & mask;
        while (slotIds[slot] != null) {
            slot = (slot + 1) & mask;
        }
        slotIds[slot] = ids[index];
        slotIndexes[slot] = index;
    }

    /** The index of {@code id}, or -1. */
    private int find(PkiId id) {
        int mask = slotIds.length - 1;
        int hash = id.hashCode();
        int slot = hash & mask;
        while (true) {
            PkiId candidate = slotIds[slot];
            if (candidate == null) {
                return -1;
            }
            if (candidate == id || (candidate.hashCode() == hash && candidate.equals(id))) {
                return slotIndexes[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Replaces the handler of {@code peer}, e.g. with a restarted peer's new protocol. Registering the protocol
     * object itself, rather than a lambda that looks it up, saves a cache miss per delivery at 100,000 peers.
     */
    public void setHandler(PkiId peer, MessageHandler<M> handler) {
        handlers[index(peer)] = handler;
    }

    /** The transport a peer's protocol sends with. */
    public Transport<M> transportOf(PkiId sender) {
        int from = index(sender);
        return (to, message) -> send(from, to, message);
    }

    private void send(int from, PkiId toId, M message) {
        int to = find(toId);
        int size = sizeOf.applyAsInt(message);
        long[] state = peerState;
        int sender = from * PEER_FIELDS;
        state[sender + MESSAGES_SENT]++;
        state[sender + BYTES_SENT] += size;
        if (to < 0 || state[sender + CRASHED] != 0) {
            dropped++;
            return;
        }
        // The uplink serialises: a message leaves when the previous one from this sender has.
        long transmitMicros = Math.max(1, size * 1_000_000L / link.bandwidthBytesPerSecond());
        long departure = Math.max(loop.nowMicros(), state[sender + UPLINK_FREE_AT_MICROS]) + transmitMicros;
        state[sender + UPLINK_FREE_AT_MICROS] = departure;
        if (random.chance(link.lossProbability())) {
            dropped++;
            return;
        }
        long latency = link.latencyMinMicros() == link.latencyMaxMicros() ? link.latencyMinMicros()
                : random.nextLong(link.latencyMinMicros(), link.latencyMaxMicros() + 1);
        loop.postMicros(departure - loop.nowMicros() + latency, () -> deliver(from, to, message, size));
    }

    private void deliver(int from, int to, M message, int size) {
        // Partitions and crashes are checked on arrival, so a partition cuts messages already in flight.
        long[] state = peerState;
        int sender = from * PEER_FIELDS;
        int receiver = to * PEER_FIELDS;
        if (state[receiver + CRASHED] != 0 || state[sender + CRASHED] != 0
                || state[sender + PARTITION] != state[receiver + PARTITION]) {
            dropped++;
            return;
        }
        state[receiver + MESSAGES_RECEIVED]++;
        state[receiver + BYTES_RECEIVED] += size;
        traceHash = (traceHash ^ (loop.nowMicros() * 31 + from * 1_000_003L + to)) * 0x100000001b3L;
        traceHash = (traceHash ^ message.getClass().getName().hashCode() ^ size) * 0x100000001b3L;
        handlers[to].onMessage(ids[from], message);
    }

    public void crash(PkiId peer) {
        peerState[index(peer) * PEER_FIELDS + CRASHED] = 1;
    }

    public void restart(PkiId peer) {
        peerState[index(peer) * PEER_FIELDS + CRASHED] = 0;
    }

    public boolean isCrashed(PkiId peer) {
        return peerState[index(peer) * PEER_FIELDS + CRASHED] != 0;
    }

    /** Puts each peer of {@code side} in partition {@code group}; peers only talk within their group. */
    public void partition(List<PkiId> side, int group) {
        side.forEach(peer -> peerState[index(peer) * PEER_FIELDS + PARTITION] = group);
    }

    public void heal() {
        for (int i = 0; i < count; i++) {
            peerState[i * PEER_FIELDS + PARTITION] = 0;
        }
    }

    public void setLink(LinkModel newLink) {
        this.link = newLink;
    }

    private int index(PkiId peer) {
        int index = find(peer);
        if (index < 0) {
            throw new IllegalArgumentException("peer " + peer + " is not in the network");
        }
        return index;
    }

    public long messagesSent(PkiId peer) {
        return peerState[index(peer) * PEER_FIELDS + MESSAGES_SENT];
    }

    public long bytesReceived(PkiId peer) {
        return peerState[index(peer) * PEER_FIELDS + BYTES_RECEIVED];
    }

    public long messagesReceived(PkiId peer) {
        return peerState[index(peer) * PEER_FIELDS + MESSAGES_RECEIVED];
    }

    public long totalMessagesSent() {
        return sum(MESSAGES_SENT);
    }

    public long totalBytesSent() {
        return sum(BYTES_SENT);
    }

    private long sum(int field) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += peerState[i * PEER_FIELDS + field];
        }
        return total;
    }

    public long dropped() {
        return dropped;
    }

    public long traceHash() {
        return traceHash;
    }

    public List<PkiId> peers() {
        return List.of(Arrays.copyOf(ids, count));
    }
}
