package io.hearsay.gossip.item;

import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.List;

/**
 * Anti-entropy over versioned items (a "simple epidemic"): every round a peer contacts
 * {@code contactsPerRound} random neighbours and reconciles its store with theirs by push, pull or
 * push/pull ({@link ExchangeMode}). It never gives up on an item, so every item reaches every connected
 * peer eventually; the price is traffic on every round, new items or not.
 *
 * <pre>
 *   PUSH       A ──Push(items)──────────────▶ B   B merges
 *   PULL       A ──Digest(versions)─────────▶ B
 *              A ◀──Reply(items newer)──────── B   A merges (no reply if B has nothing newer)
 *   PUSH_PULL  A ──Push(items, versions)────▶ B   B merges
 *              A ◀──Reply(items newer)──────── B   A merges
 * </pre>
 *
 * A deterministic state machine: it acts only in {@link #onRound} and {@link #onMessage}, on the runtime's
 * serial context, through the injected transport and random source.
 */
public final class AntiEntropy {
    private final ItemStore store;
    private final ExchangeMode mode;
    private final int contactsPerRound;
    private final Membership membership;
    private final RandomSource random;
    private final Transport<ItemMessage> transport;
    private final ItemListener listener;

    public AntiEntropy(ItemStore store, ExchangeMode mode, int contactsPerRound, Membership membership,
            RandomSource random, Transport<ItemMessage> transport, ItemListener listener) {
        if (contactsPerRound < 1) {
            throw new IllegalArgumentException("contactsPerRound is " + contactsPerRound + "; it must be at least 1");
        }
        this.store = store;
        this.mode = mode;
        this.contactsPerRound = contactsPerRound;
        this.membership = membership;
        this.random = random;
        this.transport = transport;
        this.listener = listener;
    }

    /** One round: contact {@code contactsPerRound} random neighbours. */
    public void onRound() {
        List<PkiId> contacts = membership.neighbours().sample(random, contactsPerRound, null);
        for (PkiId peer : contacts) {
            switch (mode) {
                case PUSH -> {
                    // Nothing to push is nothing to send: an empty store costs no traffic in push mode.
                    if (store.size() > 0) {
                        transport.send(peer, new ItemMessage.Push(List.copyOf(store.items()), false, List.of()));
                    }
                }
                case PULL -> transport.send(peer, new ItemMessage.Digest(store.digests()));
                case PUSH_PULL -> transport.send(peer, new ItemMessage.Push(List.copyOf(store.items()), true, store.digests()));
            }
        }
    }

    public void onMessage(PkiId from, ItemMessage message) {
        if (message instanceof ItemMessage.Push push) {
            // Answer from the state before merging: the initiator needs what it lacked, not its own items back.
            List<VersionedItem> newer = push.pull() ? store.newerThan(push.digests()) : List.of();
            mergeAll(from, push.items());
            reply(from, newer);
        } else if (message instanceof ItemMessage.Digest digest) {
            reply(from, store.newerThan(digest.digests()));
        } else if (message instanceof ItemMessage.Reply reply) {
            mergeAll(from, reply.items());
        } else if (message instanceof ItemMessage.Rumor rumor) {
            mergeAll(from, rumor.items());
        }
    }

    private void reply(PkiId to, List<VersionedItem> newer) {
        if (!newer.isEmpty()) {
            transport.send(to, new ItemMessage.Reply(newer));
        }
    }

    private void mergeAll(PkiId from, List<VersionedItem> items) {
        for (VersionedItem item : items) {
            if (store.merge(item)) {
                listener.onItemLearned(item, from);
            }
        }
    }

    public ItemStore store() {
        return store;
    }
}
