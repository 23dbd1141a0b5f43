package io.hearsay.peer.orderer;

/**
 * How the solo orderer cuts blocks and how much it holds. Fabric's {@code Orderer.BatchSize} and
 * {@code BatchTimeout}, with defaults chosen for a responsive test network rather than Fabric's throughput
 * defaults (500 messages, 2 MiB preferred, 10 MiB absolute, 2 s timeout).
 *
 * <p>A block is cut when the first of these happens: {@link #batchEnvelopesMax} envelopes are pending; the next
 * envelope would take the pending bytes past {@link #batchBytesPreferred} (the pending ones are cut first, and an
 * envelope larger than that goes alone in its own block); {@link #batchTimeoutMillis} have passed since the first
 * pending envelope arrived.
 *
 * @param batchEnvelopesMax envelopes per block at most; Fabric's {@code MaxMessageCount}. 100 by default: at a few
 *     thousand transactions per second a block then still takes tens of milliseconds to fill, so under load
 *     blocks are cut by count well before the timeout, and a peer's commit (signatures checked per transaction)
 *     stays in the low milliseconds per block
 * @param batchBytesPreferred a block's envelopes add up to at most this many bytes unless one envelope alone is
 *     larger; Fabric's {@code PreferredMaxBytes}, same default (2 MiB)
 * @param envelopeBytesMax an envelope larger than this is refused with {@code BAD_REQUEST}; Fabric's
 *     {@code AbsoluteMaxBytes}, same default (10 MiB). Must not be smaller than {@link #batchBytesPreferred}
 * @param batchTimeoutMillis how long the first envelope of a block waits for company; Fabric's {@code BatchTimeout}
 *     is 2 s, ours 200 ms, because in a test network a lone transaction's commit latency is mostly this wait,
 *     and 200 ms still batches the bursts that a load generator sends
 * @param pendingEnvelopesMax envelopes accepted but not yet in a committed block, per channel; beyond this
 *     Broadcast answers {@code SERVICE_UNAVAILABLE} until blocks are written. 10,000 by default: 100 full blocks,
 *     about a second of the ledger's block-level commit rate, and at most ~100 MiB of typical 10 KiB envelopes
 */
public record OrdererConfig(int batchEnvelopesMax, long batchBytesPreferred, long envelopeBytesMax,
        long batchTimeoutMillis, int pendingEnvelopesMax) {

    public static final int DEFAULT_BATCH_ENVELOPES_MAX = 100;
    public static final long DEFAULT_BATCH_BYTES_PREFERRED = 2L * 1024 * 1024;
    public static final long DEFAULT_ENVELOPE_BYTES_MAX = 10L * 1024 * 1024;
    public static final long DEFAULT_BATCH_TIMEOUT_MILLIS = 200;
    public static final int DEFAULT_PENDING_ENVELOPES_MAX = 10_000;

    /** Fabric's own upper bound on a batch's message count; more makes blocks too large to gossip. */
    public static final int BATCH_ENVELOPES_LIMIT = 10_000;
    /** gRPC's (and protobuf's) practical message ceiling; a larger envelope could not arrive anyway. */
    public static final long ENVELOPE_BYTES_LIMIT = 100L * 1024 * 1024;
    /** A batch timeout longer than this is a configuration mistake: every lone transaction would wait it out. */
    public static final long BATCH_TIMEOUT_MILLIS_LIMIT = 60_000;

    public OrdererConfig {
        if (batchEnvelopesMax < 1 || batchEnvelopesMax > BATCH_ENVELOPES_LIMIT) {
            throw new IllegalArgumentException("batchEnvelopesMax is " + batchEnvelopesMax
                    + "; it must be between 1 and " + BATCH_ENVELOPES_LIMIT + " envelopes");
        }
        if (envelopeBytesMax < 1024 || envelopeBytesMax > ENVELOPE_BYTES_LIMIT) {
            throw new IllegalArgumentException("envelopeBytesMax is " + envelopeBytesMax
                    + "; it must be between 1024 and " + ENVELOPE_BYTES_LIMIT + " bytes");
        }
        if (batchBytesPreferred < 1024 || batchBytesPreferred > envelopeBytesMax) {
            throw new IllegalArgumentException("batchBytesPreferred is " + batchBytesPreferred
                    + "; it must be between 1024 bytes and envelopeBytesMax (" + envelopeBytesMax + ")");
        }
        if (batchTimeoutMillis < 1 || batchTimeoutMillis > BATCH_TIMEOUT_MILLIS_LIMIT) {
            throw new IllegalArgumentException("batchTimeoutMillis is " + batchTimeoutMillis
                    + "; it must be between 1 and " + BATCH_TIMEOUT_MILLIS_LIMIT + " ms");
        }
        if (pendingEnvelopesMax < batchEnvelopesMax) {
            throw new IllegalArgumentException("pendingEnvelopesMax is " + pendingEnvelopesMax
                    + "; it must hold at least one full block (batchEnvelopesMax = " + batchEnvelopesMax + ")");
        }
    }

    public static OrdererConfig defaults() {
        return new OrdererConfig(DEFAULT_BATCH_ENVELOPES_MAX, DEFAULT_BATCH_BYTES_PREFERRED, DEFAULT_ENVELOPE_BYTES_MAX,
                DEFAULT_BATCH_TIMEOUT_MILLIS, DEFAULT_PENDING_ENVELOPES_MAX);
    }

    public OrdererConfig withBatchEnvelopesMax(int envelopes) {
        return new OrdererConfig(envelopes, batchBytesPreferred, envelopeBytesMax, batchTimeoutMillis, pendingEnvelopesMax);
    }

    public OrdererConfig withBatchBytes(long preferred, long envelopeMax) {
        return new OrdererConfig(batchEnvelopesMax, preferred, envelopeMax, batchTimeoutMillis, pendingEnvelopesMax);
    }

    public OrdererConfig withBatchTimeoutMillis(long millis) {
        return new OrdererConfig(batchEnvelopesMax, batchBytesPreferred, envelopeBytesMax, millis, pendingEnvelopesMax);
    }

    public OrdererConfig withPendingEnvelopesMax(int envelopes) {
        return new OrdererConfig(batchEnvelopesMax, batchBytesPreferred, envelopeBytesMax, batchTimeoutMillis, envelopes);
    }

    /**
     * The largest gRPC message the orderer's server reads: an envelope a little over the limit still arrives whole
     * and is refused with {@code BAD_REQUEST} and a message that names the limit, instead of the stream being reset.
     */
    public int inboundMessageBytesMax() {
        return (int) Math.min(Integer.MAX_VALUE, envelopeBytesMax + 64 * 1024);
    }
}
