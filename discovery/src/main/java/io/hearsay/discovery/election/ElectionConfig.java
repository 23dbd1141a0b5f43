package io.hearsay.discovery.election;

import io.hearsay.identity.PkiId;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Leader election per organisation: how often a leader declares itself, how long followers wait before they
 * presume it gone, and how many leaders an organisation wants.
 *
 * <p>Failover after a leader's crash: followers presume it gone {@code leaderTimeoutMillis} after its last
 * declaration, which left at most {@code heartbeatIntervalMillis} before the crash; the best live candidate
 * then declares at once. So failover lies in (timeout − interval, timeout] plus one network delay:
 * 1.0–1.5 s on a LAN with the defaults, inside the 3 s target.
 *
 * @param heartbeatIntervalMillis how often a leader sends its declaration to every live peer of its
 *     organisation (default 500 ms on a LAN); also how often every peer re-evaluates the rule
 * @param leaderTimeoutMillis silence after which a follower presumes a leader gone and runs the rule again
 *     (default 1,500 ms = 3 intervals, so one lost declaration never triggers an election); at least 2 intervals
 * @param startupGraceMillis how long a freshly started peer listens before it may claim leadership, so it
 *     hears a sitting leader first (default = the timeout: a peer that heard nothing for that long would presume
 *     any leader gone anyway); at least one interval
 * @param leadersPerOrganization how many peers of an organisation lead at once (default 1); ≥ 1
 * @param staticLeaders if non-empty, no election: exactly these peers lead, for ever (Fabric's
 *     {@code orgLeader=true}); every other peer is a follower. Sorted, so iteration is deterministic
 */
public record ElectionConfig(long heartbeatIntervalMillis, long leaderTimeoutMillis, long startupGraceMillis,
        int leadersPerOrganization, SortedSet<PkiId> staticLeaders) {
    public ElectionConfig {
        Objects.requireNonNull(staticLeaders, "staticLeaders");
        if (heartbeatIntervalMillis < 1) {
            throw new IllegalArgumentException("heartbeatIntervalMillis must be positive, got " + heartbeatIntervalMillis);
        }
        if (leaderTimeoutMillis < 2 * heartbeatIntervalMillis) {
            throw new IllegalArgumentException("leaderTimeoutMillis (" + leaderTimeoutMillis + ") must be at least 2 × "
                    + "heartbeatIntervalMillis (" + heartbeatIntervalMillis + "): one lost declaration must not start an "
                    + "election");
        }
        if (startupGraceMillis < heartbeatIntervalMillis) {
            throw new IllegalArgumentException("startupGraceMillis (" + startupGraceMillis + ") must be at least "
                    + "heartbeatIntervalMillis (" + heartbeatIntervalMillis + "): a starting peer must hear a sitting leader");
        }
        if (leadersPerOrganization < 1) {
            throw new IllegalArgumentException("leadersPerOrganization must be at least 1, got " + leadersPerOrganization);
        }
        staticLeaders = Collections.unmodifiableSortedSet(new TreeSet<>(staticLeaders));
    }

    /** A data-centre LAN: declarations every 500 ms, a leader presumed gone after 1.5 s; one leader. */
    public static ElectionConfig lan() {
        return new ElectionConfig(500, 1_500, 1_500, 1, new TreeSet<>());
    }

    /** A WAN: declarations every 1 s, presumed gone after 4 s (jitter and loss are larger). */
    public static ElectionConfig wan() {
        return new ElectionConfig(1_000, 4_000, 4_000, 1, new TreeSet<>());
    }

    /** No election: the named peers lead. */
    public static ElectionConfig staticLeaders(SortedSet<PkiId> leaders) {
        if (leaders.isEmpty()) {
            throw new IllegalArgumentException("static election needs at least one named leader");
        }
        ElectionConfig lan = lan();
        return new ElectionConfig(lan.heartbeatIntervalMillis, lan.leaderTimeoutMillis, lan.startupGraceMillis,
                leaders.size(), leaders);
    }

    public ElectionConfig withLeadersPerOrganization(int leaders) {
        return new ElectionConfig(heartbeatIntervalMillis, leaderTimeoutMillis, startupGraceMillis, leaders, staticLeaders);
    }

    public boolean isStatic() {
        return !staticLeaders.isEmpty();
    }
}
