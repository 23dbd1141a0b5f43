package io.hearsay.discovery.swim;

/**
 * SWIM failure detection and membership dissemination settings (Das, Gupta and Motivala 2002, with two of
 * Lifeguard's refinements, Dadgar et al. 2018). One record for every preset; relations between fields are
 * checked at construction. {@code n} below is the number of live members a peer knows, itself included.
 *
 * <p>Detection time of a crash, roughly: the first probe of the crashed member (each period every member
 * probes one other, so it comes after about one {@code probeIntervalMillis}, p99 about 4.6 of them), one
 * period of direct and indirect probing, the suspicion timeout (shrinking towards its minimum as
 * independent accusers confirm), a last probe, then dissemination of the death (O(log n) gossip rounds).
 *
 * @param probeIntervalMillis the protocol period: each member probes one member per period, going round-robin
 *     through a shuffled list, so every live member is probed by every other within n periods, and by someone
 *     within about one period. Shorter detects faster, at one ping and one ack per member per period.
 * @param probeTimeoutMillis wait for a direct ack before asking {@code indirectProbes} others to probe (and
 *     pinging once more directly). Several round trips; at most half the period, so indirect probes get as
 *     long as the direct one before the period's verdict.
 * @param indirectProbes k, the members asked to probe on this one's behalf (SWIM's ping-req). A target is
 *     suspected only if the direct ping, the second direct ping and all k relayed probes fail: at 5% loss per
 *     message that is about 0.0975² × (1 − 0.95⁴)³ ≈ 6 × 10⁻⁵ per probe.
 * @param suspicionMultiplier the minimum suspicion timeout is {@code suspicionMultiplier × max(1, log10 n) ×
 *     probeIntervalMillis} (memberlist's formula): long enough for a falsely suspected member to hear of it and
 *     refute, growing with the time dissemination takes. At least 2 periods.
 * @param suspicionMaxMultiplier the timeout starts at {@code suspicionMaxMultiplier ×} the minimum and falls
 *     to the minimum as confirmations arrive (Lifeguard): a lone accuser, the usual false alarm, waits long;
 *     a crash, which every prober notices independently, is declared fast.
 * @param suspicionConfirmations K, the independent accusers beyond the first that bring the timeout down to
 *     its minimum; the timeout after C of them is {@code max(min, max − (max − min) × log(C+1) / log(K+1))}.
 * @param probeBeforeDeath when a suspicion with fewer than K confirmations times out, probe the member once
 *     more (directly and indirectly) before declaring it dead; if it answers, the suspicion runs again. A
 *     refutation missed by dissemination then costs one probe, not a false death. A suspicion confirmed by K
 *     independent accusers (a crash, nearly always) is decisive without it, so a crash costs no extra period
 *     and no burst of last probes from every member at once.
 * @param gossipIntervalMillis how often queued updates are also sent to {@code gossipFanout} random live
 *     members in a message of their own, besides riding on pings and acks (memberlist's gossip).
 * @param gossipFanout members per gossip round. Updates spread to everyone in about log(n)/log(fanout + 2)
 *     rounds.
 * @param retransmitMultiplier λ: each update is piggybacked at most {@code λ × ceil(log10(n + 1))} times by each
 *     member that holds it (SWIM's infection-style dissemination), enough to reach everyone with high
 *     probability; then it is dropped from the queue.
 * @param piggybackUpdatesMax updates carried per message, the ones sent fewest times first.
 * @param updateQueueMax updates held for dissemination; beyond it the most-sent, oldest is dropped (counted).
 * @param relaysMax indirect probes this member runs for others at once; more requests are refused (counted).
 * @param deadProbeIntervalMillis one dead member is probed every interval, in turn, carrying its death notice,
 *     so a member declared dead wrongly (or restarted) refutes and comes back. With D dead members each is
 *     retried every D × this.
 * @param deadRetentionMillis a dead member is forgotten this long after its death; anchors never are (they
 *     are how others join). At least 10 dead-probe intervals.
 * @param syncIntervalMillis every interval, push/pull whole tables with one random live member (memberlist's
 *     push/pull), which repairs what the bounded piggybacking missed; 0 turns it off.
 * @param syncRepliesPerSecond the refill rate of each sender's token bucket for table requests (a {@code Sync} that
 *     wants a reply: a join, or another member's periodic push/pull). A request of one record can ask for a reply of
 *     n, so without a bound one member could make another send its whole table as fast as it asks. An honest
 *     member asks one member per {@code syncIntervalMillis} and once per seed when it (re)joins; the rate must let
 *     a member that picks this one in every round through (checked: {@code rate × syncIntervalMillis ≥ 1 s}). A
 *     request over the rate still has its records merged (they are signed, and cost no more than gossip); only
 *     the reply is refused (counted as {@code SYNC_FLOOD}).
 * @param syncReplyBurst the bucket's size: table requests one sender may make at once (a join to several seeds, a
 *     reconnection, the periodic round). At least 1.
 * @param syncRequestersMax senders whose buckets a member remembers; the least recently heard is evicted, which at
 *     worst hands an evicted flooder a fresh burst. A bound on memory well above one organisation's peers.
 */
public record SwimConfig(
        long probeIntervalMillis,
        long probeTimeoutMillis,
        int indirectProbes,
        double suspicionMultiplier,
        double suspicionMaxMultiplier,
        int suspicionConfirmations,
        boolean probeBeforeDeath,
        long gossipIntervalMillis,
        int gossipFanout,
        int retransmitMultiplier,
        int piggybackUpdatesMax,
        int updateQueueMax,
        int relaysMax,
        long deadProbeIntervalMillis,
        long deadRetentionMillis,
        long syncIntervalMillis,
        double syncRepliesPerSecond,
        int syncReplyBurst,
        int syncRequestersMax) {

    public SwimConfig {
        check("probeIntervalMillis", probeIntervalMillis, 2, 600_000);
        check("probeTimeoutMillis", probeTimeoutMillis, 1, 300_000);
        check("indirectProbes", indirectProbes, 0, 16);
        check("suspicionConfirmations", suspicionConfirmations, 0, 32);
        check("gossipIntervalMillis", gossipIntervalMillis, 1, 600_000);
        check("gossipFanout", gossipFanout, 1, 64);
        check("retransmitMultiplier", retransmitMultiplier, 1, 64);
        check("piggybackUpdatesMax", piggybackUpdatesMax, 1, 1_024);
        check("updateQueueMax", updateQueueMax, 1, 1_000_000);
        check("relaysMax", relaysMax, 1, 1_000_000);
        check("deadProbeIntervalMillis", deadProbeIntervalMillis, 1, 3_600_000);
        check("deadRetentionMillis", deadRetentionMillis, 1, 30L * 24 * 3_600_000);
        check("syncIntervalMillis", syncIntervalMillis, 0, 3_600_000);
        check("syncReplyBurst", syncReplyBurst, 1, 1_000);
        check("syncRequestersMax", syncRequestersMax, 1, 10_000_000);
        if (!(syncRepliesPerSecond > 0 && syncRepliesPerSecond <= 1_000)) {
            throw new IllegalArgumentException("syncRepliesPerSecond is " + syncRepliesPerSecond
                    + "; it must be above 0 and at most 1000");
        }
        if (syncIntervalMillis != 0 && syncRepliesPerSecond * syncIntervalMillis < 1_000) {
            throw new IllegalArgumentException("syncRepliesPerSecond (" + syncRepliesPerSecond + ") must refill a token "
                    + "within syncIntervalMillis (" + syncIntervalMillis + "), or a member that syncs with this one "
                    + "every round is refused as a flood");
        }
        if (probeTimeoutMillis * 2 > probeIntervalMillis) {
            throw new IllegalArgumentException("probeTimeoutMillis (" + probeTimeoutMillis + ") must be at most half of "
                    + "probeIntervalMillis (" + probeIntervalMillis + "), or indirect probes get less time than the direct one");
        }
        if (!(suspicionMultiplier >= 2 && suspicionMultiplier <= 100)) {
            throw new IllegalArgumentException("suspicionMultiplier is " + suspicionMultiplier
                    + "; it must be between 2 and 100, or a suspected member cannot hear of it and refute in time");
        }
        if (!(suspicionMaxMultiplier >= 1 && suspicionMaxMultiplier <= 100)) {
            throw new IllegalArgumentException("suspicionMaxMultiplier is " + suspicionMaxMultiplier
                    + "; it must be between 1 and 100");
        }
        if (updateQueueMax < piggybackUpdatesMax) {
            throw new IllegalArgumentException("updateQueueMax (" + updateQueueMax + ") must hold at least one message's "
                    + "piggybackUpdatesMax (" + piggybackUpdatesMax + ")");
        }
        if (deadRetentionMillis < 10 * deadProbeIntervalMillis) {
            throw new IllegalArgumentException("deadRetentionMillis (" + deadRetentionMillis + ") must be at least 10 × "
                    + "deadProbeIntervalMillis (" + deadProbeIntervalMillis + "), so a dead member is retried before it is forgotten");
        }
        if (syncIntervalMillis != 0 && syncIntervalMillis < probeIntervalMillis) {
            throw new IllegalArgumentException("syncIntervalMillis (" + syncIntervalMillis + ") must be 0 (off) or at least "
                    + "probeIntervalMillis (" + probeIntervalMillis + "): whole tables are the expensive repair, not the protocol");
        }
    }

    private static void check(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " is " + value + "; it must be between " + min + " and " + max);
        }
    }

    /** {@code max(1, log10 n)}: the scale of dissemination time, in gossip rounds. */
    private static double scale(int members) {
        return Math.max(1, Math.log10(Math.max(1, members)));
    }

    /** How often each member piggybacks one update: λ × ceil(log10(n + 1)). */
    public int retransmitLimit(int members) {
        return retransmitMultiplier * (int) Math.ceil(Math.log10(Math.max(1, members) + 1.0));
    }

    /** The suspicion timeout once {@code suspicionConfirmations} accusers have confirmed. */
    public long suspicionMinMillis(int members) {
        return Math.round(suspicionMultiplier * scale(members) * probeIntervalMillis);
    }

    /** The suspicion timeout of a lone accuser. */
    public long suspicionMaxMillis(int members) {
        return Math.round(suspicionMaxMultiplier * suspicionMinMillis(members));
    }

    /** Lifeguard's timeout after {@code confirmations} independent accusers beyond the first. */
    public long suspicionTimeoutMillis(int members, int confirmations) {
        long min = suspicionMinMillis(members);
        long max = suspicionMaxMillis(members);
        if (suspicionConfirmations == 0 || max <= min) {
            return min;
        }
        double fraction = Math.log(Math.min(confirmations, suspicionConfirmations) + 1.0)
                / Math.log(suspicionConfirmations + 1.0);
        return Math.max(min, Math.round(max - (max - min) * fraction));
    }

    /**
     * A LAN (0.5–2 ms one way): a 100 ms period with a 40 ms direct timeout (ten worst-case round trips);
     * k = 3; suspicion between 4 and 24 periods × log10 n (1.2–7.2 s at 1,000 peers), K = 3; gossip to 3
     * members every 100 ms; λ = 4 (16 sends per update at 1,000 peers); dead members retried every second and
     * forgotten after 10 minutes (Fabric: 500 s); whole tables exchanged every 30 s; each sender's table requests
     * answered at 0.2/s (one per 5 s, six times what its periodic push/pull needs) with a burst of 4, buckets of
     * 10,000 senders kept. In the simulator at 1,000
     * peers: see the README's SWIM section for measured detection times, false deaths and messages per second.
     */
    public static SwimConfig lan() {
        return new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256, 1_000, 600_000, 30_000, 0.2, 4,
                10_000);
    }

    /**
     * A WAN (20–80 ms one way, round trips up to 160 ms): a 500 ms period with a 250 ms direct timeout; the same
     * suspicion multipliers in longer periods (6–36 s at 1,000 peers); gossip to 4 members every 200 ms; dead
     * members retried every 5 s and forgotten after 30 minutes; table exchange every 60 s; table requests bounded as
     * on a LAN (0.2/s, burst 4, 10,000 senders).
     */
    public static SwimConfig wan() {
        return new SwimConfig(500, 250, 3, 4, 6, 3, true, 200, 4, 4, 16, 4_096, 256, 5_000, 1_800_000, 60_000, 0.2, 4,
                10_000);
    }
}
