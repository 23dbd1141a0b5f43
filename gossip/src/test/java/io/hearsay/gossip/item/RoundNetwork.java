package io.hearsay.gossip.item;

import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.StaticMembership;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A complete graph of peers exchanging item messages in synchronous rounds, for unit tests of the item
 * protocols: every peer acts once per round, then all messages of the round (and their replies) are
 * delivered in send order. The simulator in testnet is the real test bed; this is its smallest cousin.
 */
final class RoundNetwork {
    record Envelope(PkiId from, PkiId to, ItemMessage message) {}

    final List<PkiId> peers = new ArrayList<>();
    final TreeMap<PkiId, String> directory = new TreeMap<>();
    final RandomSource random;
    private final Map<PkiId, MessageHandler<ItemMessage>> handlers = new TreeMap<>();
    private final PeerSet everyone;
    private final Deque<Envelope> inFlight = new ArrayDeque<>();
    long messagesSent;

    RoundNetwork(int size, long seed) {
        random = RandomSource.seeded(seed);
        for (int i = 0; i < size; i++) {
            PkiId id = PkiId.of("Org1MSP", ("peer" + i).getBytes(StandardCharsets.UTF_8));
            peers.add(id);
            directory.put(id, "Org1MSP");
        }
        everyone = PeerSet.of(peers);
    }

    StaticMembership membershipOf(PkiId self) {
        return new StaticMembership(self, everyone.without(self), directory);
    }

    Transport<ItemMessage> transportOf(PkiId self) {
        return (to, message) -> {
            messagesSent++;
            inFlight.add(new Envelope(self, to, message));
        };
    }

    void register(PkiId peer, MessageHandler<ItemMessage> handler) {
        handlers.put(peer, handler);
    }

    /** Every peer acts, then every message (replies included) is delivered. */
    void round(Consumer<PkiId> act) {
        peers.forEach(act);
        while (!inFlight.isEmpty()) {
            Envelope envelope = inFlight.poll();
            handlers.get(envelope.to()).onMessage(envelope.from(), envelope.message());
        }
    }
}
