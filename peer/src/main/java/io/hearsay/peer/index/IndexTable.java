package io.hearsay.peer.index;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The central index's table: who is registered, where it is reached, and until when. A deterministic state machine
 * with its time passed in: a lease that is not renewed expires, so the index answers with peers that were alive a
 * lease ago, never with ones that crashed long before. Entries are kept in PKI-ID order and sampled with the given
 * seeded source, so the same calls give the same answers.
 *
 * <p>Not thread-safe: the service calls it under its lock.
 */
final class IndexTable {
    /** One registered peer. */
    record Entry(PkiId peer, String mspId, ByteString identity, String endpoint, String serverName, long expiresAtMillis) {
        Entry {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(mspId, "mspId");
        }
    }

    /** An answer: the peers, and whether they are all of the organisation's live peers (else a sample). */
    record Answer(List<Entry> peers, boolean complete) {}

    /** What a registration did. */
    enum Outcome {
        REGISTERED,
        RENEWED,
        /** The table holds {@code entriesMax} live peers; this new one is not kept. */
        FULL
    }

    private final int entriesMax;
    private final long leaseMillis;
    private final RandomSource random;
    /** Per organisation, its entries in PKI-ID order: an answer walks only the asking peer's organisation. */
    private final TreeMap<String, TreeMap<PkiId, Entry>> byOrganization = new TreeMap<>();
    private final Map<PkiId, String> organizationOf = new HashMap<>();

    IndexTable(int entriesMax, long leaseMillis, RandomSource random) {
        if (entriesMax < 1 || leaseMillis < 1) {
            throw new IllegalArgumentException("entriesMax and leaseMillis must be positive");
        }
        this.entriesMax = entriesMax;
        this.leaseMillis = leaseMillis;
        this.random = random;
    }

    /** Registers {@code peer} or renews its lease (its endpoint may change: the newest registration wins). */
    Outcome register(PkiId peer, String mspId, ByteString identity, String endpoint, String serverName, long nowMillis) {
        boolean known = organizationOf.containsKey(peer);
        if (!known && organizationOf.size() >= entriesMax) {
            expireAll(nowMillis); // only when full: expiry is otherwise lazy, per organisation asked about
            if (organizationOf.size() >= entriesMax) {
                return Outcome.FULL;
            }
        }
        // A PKI-ID hashes the MSP id with the certificate, so a known peer's organisation never changes.
        organizationOf.put(peer, mspId);
        byOrganization.computeIfAbsent(mspId, m -> new TreeMap<>())
                .put(peer, new Entry(peer, mspId, identity, endpoint, serverName, nowMillis + leaseMillis));
        return known ? Outcome.RENEWED : Outcome.REGISTERED;
    }

    /**
     * Up to {@code max} live peers of {@code mspId} other than {@code asking}, in PKI-ID order: all of them when there
     * are no more than {@code max}, else a uniform random sample.
     */
    Answer peersOf(String mspId, PkiId asking, int max, long nowMillis) {
        List<Entry> candidates = new ArrayList<>();
        TreeMap<PkiId, Entry> organization = byOrganization.getOrDefault(mspId, new TreeMap<>());
        for (Iterator<Entry> it = organization.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.expiresAtMillis() <= nowMillis) {
                it.remove();
                organizationOf.remove(entry.peer());
            } else if (!entry.peer().equals(asking)) {
                candidates.add(entry);
            }
        }
        if (candidates.size() <= max) {
            return new Answer(candidates, true);
        }
        // Partial Fisher-Yates: the first max positions become a uniform sample; then back to PKI-ID order.
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(candidates.size() - i);
            Entry swapped = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, swapped);
        }
        List<Entry> sample = new ArrayList<>(candidates.subList(0, max));
        sample.sort((a, b) -> a.peer().compareTo(b.peer()));
        return new Answer(sample, false);
    }

    /** Live entries now. */
    int size(long nowMillis) {
        expireAll(nowMillis);
        return organizationOf.size();
    }

    long leaseMillis() {
        return leaseMillis;
    }

    private void expireAll(long nowMillis) {
        for (TreeMap<PkiId, Entry> organization : byOrganization.values()) {
            organization.values().removeIf(entry -> {
                boolean expired = entry.expiresAtMillis() <= nowMillis;
                if (expired) {
                    organizationOf.remove(entry.peer());
                }
                return expired;
            });
        }
    }
}
