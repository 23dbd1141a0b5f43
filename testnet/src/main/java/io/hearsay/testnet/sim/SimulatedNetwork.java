package io.hearsay.testnet.sim;

import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Simulated links between peers on one {@link EventLoop}: latency, per-sender bandwidth, loss, partitions
 * and crashes, all drawn from one seeded source. Counts every peer's traffic and folds every delivery into
 * a trace hash, so two runs of one seed can be shown identical by comparing one number.
 *
 * @param <M> the protocol's message type
 */
public final class SimulatedNetwork<M> {
    private final EventLoop loop;
    private final RandomSource random;
    private final ToIntFunction<M> sizeOf;
    private LinkModel link;
    private final List<PkiId> ids = new ArrayList<>();
    private final Map<PkiId, Integer> indexOf = new HashMap<>();
    private final List<MessageHandler<M>> handlers = new ArrayList<>();
    private int[] partition = new int[0];
    private boolean[] crashed = new boolean[0];
    private long[] uplinkFreeAtMicros = new long[0];
    private long[] messagesSent = new long[0];
    private long[] bytesSent = new long[0];
    private long[] messagesReceived = new long[0];
    private long[] bytesReceived = new long[0];
    private long dropped;
    private long traceHash = 0xcbf29ce484222325L;

    public SimulatedNetwork(EventLoop loop, RandomSource random, LinkModel link, ToIntFunction<M> sizeOf) {
        this.loop = loop;
        this.random = random;
        this.link = link;
        this.sizeOf = sizeOf;
    }

    /** Adds a peer; returns its index. The handler is called on delivery while the peer is up. */
    public int add(PkiId id, MessageHandler<M> handler) {
        if (indexOf.containsKey(id)) {
            throw new IllegalArgumentException("peer " + id + " is already in the network");
        }
        int index = ids.size();
        ids.add(id);
        indexOf.put(id, index);
        handlers.add(handler);
        if (ids.size() > partition.length) {
            // Grow geometrically: adding n peers one by one stays O(n).
            reserve(Math.max(16, partition.length * 2));
        }
        return index;
    }

    /** Pre-sizes the arrays for {@code peers} peers, so adding 100,000 is not quadratic. */
    public void reserve(int peers) {
        partition = Arrays.copyOf(partition, Math.max(partition.length, peers));
        crashed = Arrays.copyOf(crashed, Math.max(crashed.length, peers));
        uplinkFreeAtMicros = Arrays.copyOf(uplinkFreeAtMicros, Math.max(uplinkFreeAtMicros.length, peers));
        messagesSent = Arrays.copyOf(messagesSent, Math.max(messagesSent.length, peers));
        bytesSent = Arrays.copyOf(bytesSent, Math.max(bytesSent.length, peers));
        messagesReceived = Arrays.copyOf(messagesReceived, Math.max(messagesReceived.length, peers));
        bytesReceived = Arrays.copyOf(bytesReceived, Math.max(bytesReceived.length, peers));
    }

    /** The transport a peer's protocol sends with. */
    public Transport<M> transportOf(PkiId sender) {
        int from = index(sender);
        return (to, message) -> send(from, to, message);
    }

    private void send(int from, PkiId toId, M message) {
        Integer to = indexOf.get(toId);
        int size = sizeOf.applyAsInt(message);
        messagesSent[from]++;
        bytesSent[from] += size;
        if (to == null || crashed[from]) {
            dropped++;
            return;
        }
        // The uplink serialises: a message leaves when the previous one from this sender has.
        long transmitMicros = Math.max(1, size * 1_000_000L / link.bandwidthBytesPerSecond());
        long departure = Math.max(loop.nowMicros(), uplinkFreeAtMicros[from]) + transmitMicros;
        uplinkFreeAtMicros[from] = departure;
        if (random.chance(link.lossProbability())) {
            dropped++;
            return;
        }
        long latency = link.latencyMinMicros() == link.latencyMaxMicros() ? link.latencyMinMicros()
                : random.nextLong(link.latencyMinMicros(), link.latencyMaxMicros() + 1);
        int target = to;
        loop.scheduleMicros(departure - loop.nowMicros() + latency, () -> deliver(from, target, message, size));
    }

    private void deliver(int from, int to, M message, int size) {
        // Partitions and crashes are checked on arrival, so a partition cuts messages already in flight.
        if (crashed[to] || crashed[from] || partition[from] != partition[to]) {
            dropped++;
            return;
        }
        messagesReceived[to]++;
        bytesReceived[to] += size;
        traceHash = (traceHash ^ (loop.nowMicros() * 31 + from * 1_000_003L + to)) * 0x100000001b3L;
        traceHash = (traceHash ^ message.getClass().getName().hashCode() ^ size) * 0x100000001b3L;
        handlers.get(to).onMessage(ids.get(from), message);
    }

    public void crash(PkiId peer) {
        crashed[index(peer)] = true;
    }

    public void restart(PkiId peer) {
        crashed[index(peer)] = false;
    }

    public boolean isCrashed(PkiId peer) {
        return crashed[index(peer)];
    }

    /** Puts each peer of {@code side} in partition {@code group}; peers only talk within their group. */
    public void partition(List<PkiId> side, int group) {
        side.forEach(peer -> partition[index(peer)] = group);
    }

    public void heal() {
        Arrays.fill(partition, 0);
    }

    public void setLink(LinkModel newLink) {
        this.link = newLink;
    }

    private int index(PkiId peer) {
        Integer index = indexOf.get(peer);
        if (index == null) {
            throw new IllegalArgumentException("peer " + peer + " is not in the network");
        }
        return index;
    }

    public long messagesSent(PkiId peer) {
        return messagesSent[index(peer)];
    }

    public long bytesReceived(PkiId peer) {
        return bytesReceived[index(peer)];
    }

    public long messagesReceived(PkiId peer) {
        return messagesReceived[index(peer)];
    }

    public long totalMessagesSent() {
        return Arrays.stream(messagesSent, 0, ids.size()).sum();
    }

    public long totalBytesSent() {
        return Arrays.stream(bytesSent, 0, ids.size()).sum();
    }

    public long dropped() {
        return dropped;
    }

    public long traceHash() {
        return traceHash;
    }

    public List<PkiId> peers() {
        return List.copyOf(ids);
    }
}
