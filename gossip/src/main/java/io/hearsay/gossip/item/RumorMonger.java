package io.hearsay.gossip.item;

import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Rumor mongering (a "complex epidemic", Demers et al. 1987): a peer that learns a new item makes it a
 * hot rumor and, every round, pushes its hot rumors to {@code contactsPerRound} random neighbours, until
 * it loses interest per the {@link RumorPolicy}. Far less traffic than anti-entropy, at the price of a
 * residue: some peers may never hear a rumor (anti-entropy in the background is the cure).
 *
 * <pre>
 *   A ──Rumor(hot items)──────────────▶ B   B merges; new items become B's hot rumors
 *   A ◀──RumorFeedback(already known)── B   (FEEDBACK_COUNTER only) A counts; at k it drops the rumor
 * </pre>
 */
public final class RumorMonger {
    /** A rumor this peer is still spreading, and how many times spreading it was unnecessary. */
    private static final class Hot {
        final VersionedItem item;
        int unnecessaryContacts;

        Hot(VersionedItem item) {
            this.item = item;
        }
    }

    private final ItemStore store;
    private final RumorPolicy policy;
    private final int k;
    private final int contactsPerRound;
    private final Membership membership;
    private final RandomSource random;
    private final Transport<ItemMessage> transport;
    private final ItemListener listener;
    private final NavigableMap<String, Hot> hot = new TreeMap<>();

    public RumorMonger(ItemStore store, RumorPolicy policy, int k, int contactsPerRound, Membership membership,
            RandomSource random, Transport<ItemMessage> transport, ItemListener listener) {
        if (k < 1) {
            throw new IllegalArgumentException("k is " + k + "; it must be at least 1");
        }
        if (contactsPerRound < 1) {
            throw new IllegalArgumentException("contactsPerRound is " + contactsPerRound + "; it must be at least 1");
        }
        this.store = store;
        this.policy = policy;
        this.k = k;
        this.contactsPerRound = contactsPerRound;
        this.membership = membership;
        this.random = random;
        this.transport = transport;
        this.listener = listener;
    }

    /** Introduces a new item here (an update originating at this peer): it becomes a hot rumor. */
    public void originate(VersionedItem item) {
        if (store.merge(item)) {
            hot.put(item.key(), new Hot(item));
        }
    }

    public void onRound() {
        if (hot.isEmpty()) {
            return;
        }
        List<VersionedItem> rumors = hot.values().stream().map(h -> h.item).toList();
        for (PkiId peer : membership.neighbours().sample(random, contactsPerRound, null)) {
            transport.send(peer, new ItemMessage.Rumor(rumors));
            if (policy == RumorPolicy.BLIND_COIN) {
                // Each rumor independently: a coin with probability 1/k per contact.
                hot.values().removeIf(h -> random.nextInt(k) == 0);
            }
        }
    }

    public void onMessage(PkiId from, ItemMessage message) {
        if (message instanceof ItemMessage.Rumor rumor) {
            onRumor(from, rumor);
        } else if (message instanceof ItemMessage.RumorFeedback feedback) {
            onFeedback(feedback);
        }
    }

    private void onRumor(PkiId from, ItemMessage.Rumor rumor) {
        List<ItemDigest> alreadyKnown = new ArrayList<>();
        for (VersionedItem item : rumor.items()) {
            if (store.merge(item)) {
                hot.put(item.key(), new Hot(item));
                listener.onItemLearned(item, from);
            } else {
                alreadyKnown.add(item.digest());
            }
        }
        if (policy == RumorPolicy.FEEDBACK_COUNTER && !alreadyKnown.isEmpty()) {
            transport.send(from, new ItemMessage.RumorFeedback(alreadyKnown));
        }
    }

    private void onFeedback(ItemMessage.RumorFeedback feedback) {
        for (ItemDigest known : feedback.alreadyKnown()) {
            Hot rumor = hot.get(known.key());
            if (rumor != null && rumor.item.version() <= known.version() && ++rumor.unnecessaryContacts >= k) {
                hot.remove(known.key());
            }
        }
    }

    public boolean isSpreading() {
        return !hot.isEmpty();
    }

    public ItemStore store() {
        return store;
    }
}
