package io.hearsay.discovery.index;

import io.hearsay.discovery.index.IndexMessage.ListPeers;
import io.hearsay.discovery.index.IndexMessage.Lookup;
import io.hearsay.discovery.index.IndexMessage.LookupReply;
import io.hearsay.discovery.index.IndexMessage.PeerList;
import io.hearsay.discovery.index.IndexMessage.Register;
import io.hearsay.discovery.index.IndexMessage.Registered;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The central index server (the first stage of DESIGN.md's "classic story"): every peer registers with it and
 * gets its first peers from it. Simple and exact while it lives; when it is down nobody can join, and what it
 * answers decides who meets whom. A deterministic state machine without timers.
 */
public final class IndexServer implements MessageHandler<IndexMessage> {
    private final IndexConfig config;
    private final RandomSource random;
    private final Transport<IndexMessage> transport;
    /** In registration order, for O(1) sampling; the set is for lookups only. */
    private final List<PkiId> registered = new ArrayList<>();
    private final Set<PkiId> registeredSet = new HashSet<>();
    private long registrations;
    private long refusals;

    public IndexServer(IndexConfig config, RandomSource random, Transport<IndexMessage> transport) {
        this.config = config;
        this.random = random;
        this.transport = transport;
    }

    @Override
    public void onMessage(PkiId from, IndexMessage message) {
        if (message instanceof Register register) {
            onRegister(from, register);
        } else if (message instanceof ListPeers list) {
            int count = Math.max(0, Math.min(list.peersMax(), registered.size()));
            transport.send(from, new PeerList(registered.subList(0, count)));
        } else if (message instanceof Lookup lookup) {
            transport.send(from, new LookupReply(lookup.target(), registeredSet.contains(lookup.target())));
        }
    }

    private void onRegister(PkiId from, Register register) {
        if (!registeredSet.contains(from)) {
            if (registered.size() >= config.registeredMax()) {
                refusals++;
                transport.send(from, new Registered(false, "index full: " + config.registeredMax()
                        + " peers registered (registeredMax)", List.of()));
                return;
            }
            registered.add(from);
            registeredSet.add(from);
            registrations++;
        }
        int wanted = Math.max(0, Math.min(register.peersWanted(), config.peersPerReply()));
        transport.send(from, new Registered(true, "", sample(wanted, from)));
    }

    /** Up to {@code count} distinct registered peers other than {@code excluded}, uniformly at random. */
    private List<PkiId> sample(int count, PkiId excluded) {
        int available = registered.size() - (registeredSet.contains(excluded) ? 1 : 0);
        int wanted = Math.min(count, available);
        List<PkiId> picked = new ArrayList<>(wanted);
        Set<Integer> seen = new HashSet<>();
        while (picked.size() < wanted) {
            int index = random.nextInt(registered.size());
            PkiId candidate = registered.get(index);
            if (!candidate.equals(excluded) && seen.add(index)) {
                picked.add(candidate);
            }
        }
        picked.sort(null);
        return picked;
    }

    public int registeredPeers() {
        return registered.size();
    }

    public long registrations() {
        return registrations;
    }

    public long refusals() {
        return refusals;
    }
}
