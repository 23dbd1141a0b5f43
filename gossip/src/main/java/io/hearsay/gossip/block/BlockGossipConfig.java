package io.hearsay.gossip.block;

/**
 * Block dissemination and repair settings. One record serves every preset, so Fabric's behaviour
 * ({@link #fabric()}) and ours ({@link #lan()}) run on the same code path and compare fairly.
 *
 * @param pushFanout peers a new block is pushed (or announced) to by each peer that first receives it (up to
 *     1,024: a fanout of every neighbour is the direct-send baseline). With
 *     fanout f, the fraction of peers a forward-once push misses is s = e^{-f(1-s)}: f=3 → 6%, f=4 → 2%.
 * @param lazyPushThresholdBytes blocks larger than this are announced (number + hash) and fetched once on
 *     request instead of pushed whole; each peer then receives each body about once instead of about f
 *     times. {@code Long.MAX_VALUE}: always push whole (Fabric).
 * @param announceToAllNeighbours also announce a new block (number + hash, ~140 bytes) to every neighbour
 *     it is not pushed to, and announce large blocks to all neighbours: a peer the push missed hears of the
 *     block one hop later and fetches it at once, instead of waiting for a heartbeat; bodies still travel
 *     about once per peer for large blocks. Costs about (degree − fanout) announcements per peer per block.
 * @param hedgeDelayMillis a lazily announced block not received this long after requesting it is
 *     requested from a second announcer; a few round trips, so a slow first source costs little.
 * @param heartbeatIntervalMillis how often a peer tells {@code heartbeatFanout} random neighbours its
 *     height and head hash (Fabric: StateInfo every 4 s). Bounds how stale a peer's view of others is.
 * @param heartbeatFanout neighbours told per heartbeat.
 * @param pullOnHeartbeat a heartbeat also asks the receiver for blocks the sender lacks within the
 *     receiver's newest {@code pullWindowBlocks} (Fabric's 4 s block pull over its 10-block window).
 * @param pullWindowBlocks how far back a pull answer reaches.
 * @param pullResponseDelayMillis delay before answering a pull (Fabric's 1 s digest wait).
 * @param repairOnHeartbeat start repairing as soon as any message shows a higher height or a gap, instead
 *     of at the next {@code repairCheckIntervalMillis} tick (Fabric waits for the 10 s tick).
 * @param repairCheckIntervalMillis period of the repair check that catches anything the triggers missed.
 * @param repairBatchBlocks blocks per range request (Fabric: 10, stop-and-wait).
 * @param repairInflightBatchesMax range requests outstanding at once, spread over the peers that have the
 *     blocks (Fabric: 1). Flow control: the next batch is asked only when one returns.
 * @param repairTimeoutMillis a range request unanswered this long is re-asked elsewhere and its peer
 *     penalised (Fabric: 3 s).
 * @param payloadBufferBlocksMax out-of-order blocks held for in-order commit; blocks further ahead are
 *     dropped (counted) and repaired later (Fabric: 20).
 * @param seenBlocksMax block ids remembered for duplicate suppression; older ones age out.
 * @param penaltyMillis how long a peer that served invalid blocks, or claimed a height it did not serve,
 *     is avoided as a repair source.
 * @param rangeRequestBlocksMax the largest range this peer serves in one request; larger asks are refused
 *     as absurd (counted) rather than answered with a huge message.
 * @param treePush push new blocks along a self-pruning tree (Plumtree, Leitão et al. 2007) instead of to a
 *     random fanout: a peer pushes every small block to all neighbours it has not pruned; a neighbour that
 *     sends it a block it already has is pruned (and told so, and prunes it back), one that delivers a block
 *     first stays. After the first block the pushes follow a spanning tree of first arrivals, so each peer
 *     receives each body about once instead of about {@code pushFanout} times, at the latency of the fastest
 *     paths. Pruned neighbours still exchange heartbeats; a peer that had to repair a block re-grafts its
 *     source, so a broken tree heals within a heartbeat. Large blocks keep lazy push either way.
 * @param treeAnnounceFanout tree push: pruned neighbours also told of each new small block (number, hash,
 *     size: ~200 bytes), Plumtree's lazy "IHAVE". A peer told of a block it has not received within
 *     {@code hedgeDelayMillis} fetches it from the announcer and spreads it on, so a lost push or a dead
 *     parent costs one delay, not a heartbeat per tree level. Each costs every peer about this many small
 *     messages per block. 1,024: every pruned neighbour (the presets: robust to loss, see {@link #lan()}).
 * @param hedgeBytesPerMilli a requested body is given {@code hedgeDelayMillis} plus its transfer time at this
 *     rate before a second announcer is asked: the rate a busy announcer's upload still reaches (4 MB/s on a
 *     LAN: a 1 MiB block gets 50 + 262 ms). Without it a large body that is merely slow is fetched twice.
 */
public record BlockGossipConfig(
        int pushFanout,
        long lazyPushThresholdBytes,
        boolean announceToAllNeighbours,
        long hedgeDelayMillis,
        long heartbeatIntervalMillis,
        int heartbeatFanout,
        boolean pullOnHeartbeat,
        int pullWindowBlocks,
        long pullResponseDelayMillis,
        boolean repairOnHeartbeat,
        long repairCheckIntervalMillis,
        int repairBatchBlocks,
        int repairInflightBatchesMax,
        long repairTimeoutMillis,
        int payloadBufferBlocksMax,
        int seenBlocksMax,
        long penaltyMillis,
        int rangeRequestBlocksMax,
        boolean treePush,
        int treeAnnounceFanout,
        long hedgeBytesPerMilli) {

    public BlockGossipConfig {
        check("pushFanout", pushFanout, 1, 1024);
        check("lazyPushThresholdBytes", lazyPushThresholdBytes, 0, Long.MAX_VALUE);
        check("hedgeDelayMillis", hedgeDelayMillis, 1, 60_000);
        check("heartbeatIntervalMillis", heartbeatIntervalMillis, 10, 600_000);
        check("heartbeatFanout", heartbeatFanout, 1, 64);
        check("pullWindowBlocks", pullWindowBlocks, 0, 10_000);
        check("pullResponseDelayMillis", pullResponseDelayMillis, 0, 60_000);
        check("repairCheckIntervalMillis", repairCheckIntervalMillis, 10, 600_000);
        check("repairBatchBlocks", repairBatchBlocks, 1, 10_000);
        check("repairInflightBatchesMax", repairInflightBatchesMax, 1, 1_000);
        check("repairTimeoutMillis", repairTimeoutMillis, 10, 600_000);
        check("payloadBufferBlocksMax", payloadBufferBlocksMax, 1, 1_000_000);
        check("seenBlocksMax", seenBlocksMax, 16, 10_000_000);
        check("penaltyMillis", penaltyMillis, 0, 3_600_000);
        check("rangeRequestBlocksMax", rangeRequestBlocksMax, 1, 100_000);
        check("treeAnnounceFanout", treeAnnounceFanout, 0, 1024);
        check("hedgeBytesPerMilli", hedgeBytesPerMilli, 1, 1L << 40);
        if (rangeRequestBlocksMax < repairBatchBlocks) {
            throw new IllegalArgumentException("rangeRequestBlocksMax (" + rangeRequestBlocksMax
                    + ") must be at least repairBatchBlocks (" + repairBatchBlocks + "), or peers refuse each other's requests");
        }
        if (payloadBufferBlocksMax < repairBatchBlocks * repairInflightBatchesMax) {
            throw new IllegalArgumentException("payloadBufferBlocksMax (" + payloadBufferBlocksMax
                    + ") must hold repairBatchBlocks × repairInflightBatchesMax (" + repairBatchBlocks * repairInflightBatchesMax
                    + ") blocks, or repaired blocks are dropped as soon as they arrive");
        }
        if (pullOnHeartbeat && pullWindowBlocks == 0) {
            throw new IllegalArgumentException("pullOnHeartbeat needs a pullWindowBlocks above 0");
        }
    }

    /** The same settings with another push fanout (the simulator's {@code --fanout}). */
    /**
     * This config with single fields replaced by name ({@code pushFanout: 6}), as a network spec or a peer's config
     * file gives them; values are numbers and booleans, or their text. The relations between fields are checked as
     * for any config.
     *
     * @throws IllegalArgumentException naming the field: unknown, of the wrong type, or out of range
     */
    public BlockGossipConfig withOverrides(java.util.Map<String, ?> overrides) {
        java.lang.reflect.RecordComponent[] components = BlockGossipConfig.class.getRecordComponents();
        for (String name : overrides.keySet()) {
            if (java.util.Arrays.stream(components).noneMatch(c -> c.getName().equals(name))) {
                throw new IllegalArgumentException(name + ": unknown field; allowed: " + String.join(", ",
                        java.util.Arrays.stream(components).map(java.lang.reflect.RecordComponent::getName).sorted().toList()));
            }
        }
        Object[] arguments = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                java.lang.reflect.RecordComponent component = components[i];
                types[i] = component.getType();
                Object override = overrides.get(component.getName());
                arguments[i] = override == null ? component.getAccessor().invoke(this) : coerce(component, override);
            }
            return BlockGossipConfig.class.getDeclaredConstructor(types).newInstance(arguments);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalStateException("BlockGossipConfig failed to construct: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("BlockGossipConfig's canonical constructor is not accessible", e);
        }
    }

    private static Object coerce(java.lang.reflect.RecordComponent component, Object value) {
        String name = component.getName();
        String text = String.valueOf(value).trim();
        if (component.getType() == boolean.class) {
            if (value instanceof Boolean || text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            throw new IllegalArgumentException(name + ": must be true or false, got " + value);
        }
        long number;
        try {
            number = value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": must be an integer, got " + value);
        }
        if (component.getType() == int.class) {
            if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": must be between " + Integer.MIN_VALUE + " and "
                        + Integer.MAX_VALUE + ", got " + number);
            }
            return (int) number;
        }
        return number;
    }

    public BlockGossipConfig withPushFanout(int fanout) {
        return new BlockGossipConfig(fanout, lazyPushThresholdBytes, announceToAllNeighbours, hedgeDelayMillis, heartbeatIntervalMillis,
                heartbeatFanout, pullOnHeartbeat, pullWindowBlocks, pullResponseDelayMillis, repairOnHeartbeat,
                repairCheckIntervalMillis, repairBatchBlocks, repairInflightBatchesMax, repairTimeoutMillis,
                payloadBufferBlocksMax, seenBlocksMax, penaltyMillis, rangeRequestBlocksMax, treePush, treeAnnounceFanout, hedgeBytesPerMilli);
    }

    /** The same settings with tree push on or off. */
    public BlockGossipConfig withTreePush(boolean on) {
        return new BlockGossipConfig(pushFanout, lazyPushThresholdBytes, announceToAllNeighbours, hedgeDelayMillis,
                heartbeatIntervalMillis, heartbeatFanout, pullOnHeartbeat, pullWindowBlocks, pullResponseDelayMillis,
                repairOnHeartbeat, repairCheckIntervalMillis, repairBatchBlocks, repairInflightBatchesMax, repairTimeoutMillis,
                payloadBufferBlocksMax, seenBlocksMax, penaltyMillis, rangeRequestBlocksMax, on, treeAnnounceFanout, hedgeBytesPerMilli);
    }

    /** The same settings with another lazy-push threshold ({@code Long.MAX_VALUE}: always push whole). */
    public BlockGossipConfig withLazyPushThresholdBytes(long bytes) {
        return new BlockGossipConfig(pushFanout, bytes, announceToAllNeighbours, hedgeDelayMillis,
                heartbeatIntervalMillis, heartbeatFanout, pullOnHeartbeat, pullWindowBlocks, pullResponseDelayMillis,
                repairOnHeartbeat, repairCheckIntervalMillis, repairBatchBlocks, repairInflightBatchesMax, repairTimeoutMillis,
                payloadBufferBlocksMax, seenBlocksMax, penaltyMillis, rangeRequestBlocksMax, treePush, treeAnnounceFanout, hedgeBytesPerMilli);
    }

    /**
     * Tree push: how long an announcement to a pruned neighbour ranked below this peer (PKI-ID order) is held, so
     * that of two neighbours committing a block at about the same time only one tells the other (see
     * {@code DeferredAnnouncements}): a quarter of {@code hedgeDelayMillis} (12 ms on a LAN), so that a neighbour
     * whose push was lost still hears well within the delay it gives a late push before fetching.
     */
    public long announceDeferralMillis() {
        return Math.max(1, hedgeDelayMillis / 4);
    }

    /** How long a requested body of {@code bodyBytes} may take before a second announcer is asked. */
    public long hedgeDelayMillis(int bodyBytes) {
        return hedgeDelayMillis + bodyBytes / hedgeBytesPerMilli;
    }

    private static void check(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " is " + value + "; it must be between " + min + " and " + max);
        }
    }

    /**
     * Hearsay's default on a LAN: small blocks pushed along the self-pruning tree, with every pruned
     * neighbour told (so a lost push costs one 50 ms delay: in the simulator at 1,000 peers and 5% loss, p99
     * 160 ms against 109 ms for a random fanout of 4, for 2.3× fewer bytes); lazy push above 16 KiB (small
     * blocks are cheaper pushed than announced and fetched); heartbeats every 500 ms; repair the moment a gap
     * or a higher height shows, 4 × 64-block batches pipelined over several sources. {@code pushFanout} applies
     * only with tree push off.
     */
    public static BlockGossipConfig lan() {
        return new BlockGossipConfig(4, 16 * 1024, true, 50, 500, 3, false, 0, 0, true, 2_000, 64, 4, 1_000,
                1_024, 4_096, 10_000, 256, true, 1_024, 4_000);
    }

    /** As {@link #lan()} with timeouts for 100–300 ms round trips. */
    public static BlockGossipConfig wan() {
        return new BlockGossipConfig(4, 16 * 1024, true, 500, 1_000, 3, false, 0, 0, true, 5_000, 64, 4, 5_000,
                1_024, 4_096, 30_000, 256, true, 1_024, 1_000);
    }

    /** For large simulations: as {@link #lan()}, with a smaller duplicate filter to keep memory per peer low. */
    public static BlockGossipConfig simulation() {
        return new BlockGossipConfig(4, 16 * 1024, true, 50, 500, 3, false, 0, 0, true, 2_000, 64, 4, 1_000,
                1_024, 256, 10_000, 256, true, 1_024, 4_000);
    }

    /**
     * Fabric's defaults (core.yaml, Fabric 2.x with block gossip on): push whole blocks to 3 peers,
     * forwarded once; pull every 4 s from 3 peers over the newest 10 blocks after a 1 s digest wait; state
     * transfer every 10 s, stop-and-wait batches of 10 with a 3 s timeout; a 20-block reorder buffer.
     */
    public static BlockGossipConfig fabric() {
        return new BlockGossipConfig(3, Long.MAX_VALUE, false, 1_500, 4_000, 3, true, 10, 1_000, false, 10_000, 10, 1,
                3_000, 20, 4_096, 0, 10, false, 0, 4_000);
    }
}
