package io.hearsay.discovery.swim;

import io.hearsay.discovery.runtime.VirtualTime;
import io.hearsay.discovery.auth.KeyedHashAuthenticator;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A few SWIM members on a {@link VirtualTime}, messages delivered 1 ms after sending unless the sender or
 * receiver is cut off. Peer 0 is an anchor; everyone starts knowing everyone (incarnation 1). Records
 * every death each member declares or learns, and counts the tables each member sent back to each other one.
 * Piggybacked updates to the members in {@link #piggybackLostTo} are lost (the messages themselves arrive).
 */
final class Cluster {
    record Death(int observer, PkiId member, long incarnation) {}

    final VirtualTime loop = new VirtualTime();
    final List<PkiId> ids = new ArrayList<>();
    final Map<PkiId, Long> secrets = new HashMap<>();
    final Map<PkiId, String> organizations = new HashMap<>();
    final List<SwimMembership> members = new ArrayList<>();
    final Set<Integer> cutOff = new HashSet<>();
    final Set<Integer> piggybackLostTo = new HashSet<>();
    /** Sync replies (whole tables answering a request) by [from, to]. */
    final Map<List<Integer>, Integer> tableReplies = new HashMap<>();
    final List<Death> deaths = new ArrayList<>();
    final List<String> rejections = new ArrayList<>();
    private final SwimConfig config;
    private final RandomSource random;

    Cluster(int size, SwimConfig config, long seed) {
        this.config = config;
        this.random = RandomSource.seeded(seed);
        for (int i = 0; i < size; i++) {
            PkiId id = PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(i + 1).array());
            ids.add(id);
            secrets.put(id, 1_000L + i);
            organizations.put(id, "Org1MSP");
        }
        List<AliveRecord> records = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(newMember(i, 1));
            records.add(members.get(i).selfRecord());
        }
        members.forEach(member -> member.bootstrap(records));
    }

    SwimMembership newMember(int peer, long incarnation) {
        PkiId id = ids.get(peer);
        SwimMembership.LocalMember local = new SwimMembership.LocalMember(id, "Org1MSP", "peer" + peer + ":7051", "",
                MemberMetadata.of(peer == 0 ? MemberRole.ANCHOR : MemberRole.PEER), incarnation);
        MembershipListener listener = new MembershipListener() {
            @Override
            public void memberDead(PkiId member, long deadIncarnation, PkiId accuser) {
                deaths.add(new Death(peer, member, deadIncarnation));
            }

            @Override
            public void updateRejected(PkiId from, SwimCounters.Rejection reason, String detail) {
                rejections.add(reason + " from peer " + ids.indexOf(from) + ": " + detail);
            }
        };
        return new SwimMembership(config, local, new SwimMembership.Collaborators(
                new PeerRuntime(loop, loop, random.fork()),
                (to, message) -> send(peer, to, message),
                new KeyedHashAuthenticator(id, secrets),
                peerId -> Optional.ofNullable(organizations.get(peerId)),
                listener));
    }

    private void send(int from, PkiId to, SwimMessage message) {
        int target = ids.indexOf(to);
        if (target < 0 || cutOff.contains(from) || cutOff.contains(target)) {
            return;
        }
        PkiId sender = ids.get(from);
        if (message instanceof SwimMessage.Sync sync && !sync.replyWanted()) {
            tableReplies.merge(List.of(from, target), 1, Integer::sum);
        }
        SwimMessage delivered = piggybackLostTo.contains(target) ? withoutUpdates(message) : message;
        loop.schedule(1, () -> {
            if (!cutOff.contains(target) && !cutOff.contains(from)) {
                members.get(target).onMessage(sender, delivered);
            }
        });
    }

    /** The message with its piggybacked updates lost; a table (Sync) is not piggybacking and arrives whole. */
    private static SwimMessage withoutUpdates(SwimMessage message) {
        if (message instanceof SwimMessage.Ping ping) {
            return new SwimMessage.Ping(ping.probeId(), List.of());
        } else if (message instanceof SwimMessage.Ack ack) {
            return new SwimMessage.Ack(ack.probeId(), List.of());
        } else if (message instanceof SwimMessage.PingRequest request) {
            return new SwimMessage.PingRequest(request.probeId(), request.target(), List.of());
        } else if (message instanceof SwimMessage.Gossip) {
            return new SwimMessage.Gossip(List.of());
        }
        return message;
    }

    int tableRepliesFrom(int from, int to) {
        return tableReplies.getOrDefault(List.of(from, to), 0);
    }

    void start() {
        members.forEach(SwimMembership::start);
    }

    /** Whether every running member other than {@code subject} holds it in {@code status}. */
    boolean allSee(int subject, MemberStatus status) {
        for (int i = 0; i < members.size(); i++) {
            if (i != subject && members.get(i).isRunning()
                    && members.get(i).status(ids.get(subject)).orElse(null) != status) {
                return false;
            }
        }
        return true;
    }

    KeyedHashAuthenticator keysOf(int peer) {
        return new KeyedHashAuthenticator(ids.get(peer), secrets);
    }
}
