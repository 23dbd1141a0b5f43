package io.hearsay.discovery.auth;

import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.SmallPeerSet;
import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Puts a protocol on signed messages. Outgoing messages get this peer's next sequence number and
 * signature; incoming ones reach the protocol only after, in this order (cheapest first):
 *
 * <ol>
 *   <li>the sender is within its rate ({@link IntegrityConfig#messagesPerSecondMax}) — flood protection;
 *   <li>the signer is the peer the link belongs to — no speaking for others;
 *   <li>the signer's organisation is known — messages from unknown organisations are refused;
 *   <li>the sequence is fresh — replays are refused;
 *   <li>the signature verifies.
 * </ol>
 *
 * A message failing any check is dropped, counted by reason and reported; nothing of it reaches the
 * protocol, and other senders are unaffected. Single-threaded, like the protocol it wraps.
 *
 * <p>Built for 100,000 instances in one simulator process, where every object a message touches is a cache
 * miss: a sender's state is one row of one array ({@link SenderStates}), a multicast is signed once and its
 * envelope shared, and the signed content is written into one buffer per thread rather than assembled from
 * fresh arrays.
 */
public final class AuthenticatedChannel<M> implements MessageHandler<SignedMessage<M>> {
    /** Why a message was dropped. */
    public enum Drop { RATE_LIMITED, SIGNER_MISMATCH, UNKNOWN_ORGANIZATION, REPLAYED, TOO_OLD, BAD_SIGNATURE }

    /**
     * One writer per thread for the content being signed or verified: it is used and done with before anything
     * else runs on the thread, and 100,000 simulated channels share one buffer that stays in cache.
     */
    private static final ThreadLocal<ContentWriter> CONTENT = ThreadLocal.withInitial(() -> new ContentWriter(256));
    /** A writer grown past this for one large message (items carry values) is dropped, not kept per thread. */
    private static final int CONTENT_RETAINED_BYTES_MAX = 64 * 1024;

    private final PkiId self;
    private final MessageAuthenticator authenticator;
    private final MessageCodec<M> codec;
    private final Membership membership;
    private final Clock clock;
    private final IntegrityConfig config;
    private final Transport<SignedMessage<M>> network;
    private final MessageHandler<M> protocol;
    private final BiConsumer<PkiId, String> dropListener;
    /** Token-bucket refill per millisecond and burst: {@link IntegrityConfig}'s, computed once. */
    private final double ratePerMilli;
    private final double burst;
    /** This peer's PKI-ID as big-endian words, the start of every content it signs. */
    private final long[] selfWords;
    /** Each sender's token bucket and replay window. */
    private final SenderStates senders;
    private final EnumMap<Drop, Long> drops = new EnumMap<>(Drop.class);
    private long nextSequence;
    /**
     * The last message signed, its signed envelope, and whom it went to: a multicast of one message is signed once,
     * and every receiver is handed the same immutable envelope.
     */
    private M lastMessage;
    private SignedMessage<M> lastSigned;
    private final SmallPeerSet lastReceivers;
    private Predicate<M> stale = message -> false;
    private long staleSkipped;
    // Signature checks, for the node's metrics: plain fields, written on the protocol's thread and read by others
    // without a lock (a reader may see a count a few messages old). A failure is also a BAD_SIGNATURE drop.
    private long verificationsPassed;
    private long verificationsFailed;

    /**
     * @param firstSequence where this incarnation's sequence numbers start. They must exceed every number the
     *     previous incarnation used, or receivers refuse the restarted peer as a replayer: the node passes
     *     its wall clock in microseconds at start, the simulator its virtual time.
     */
    public AuthenticatedChannel(PkiId self, MessageAuthenticator authenticator, MessageCodec<M> codec,
            Membership membership, Clock clock, IntegrityConfig config, Transport<SignedMessage<M>> network,
            MessageHandler<M> protocol, BiConsumer<PkiId, String> dropListener, long firstSequence) {
        this.self = self;
        this.authenticator = authenticator;
        this.codec = codec;
        this.membership = membership;
        this.clock = clock;
        this.config = config;
        this.network = network;
        this.protocol = protocol;
        this.dropListener = dropListener;
        this.ratePerMilli = config.messagesPerSecondMax() / 1000.0;
        this.burst = config.burstMessagesMax();
        this.selfWords = new long[] {self.word(0), self.word(1), self.word(2), self.word(3)};
        // Senders and a multicast's receivers are mostly neighbours: sized for them now (see SmallPeerSet's constructor).
        int neighbours = membership.neighbours().size();
        this.senders = new SenderStates(config.replayWindowMessages(), neighbours);
        this.lastReceivers = new SmallPeerSet(neighbours);
        this.nextSequence = firstSequence;
    }

    /** The transport the protocol sends with: signs, then hands to the network. */
    public Transport<M> transport() {
        return (to, message) -> {
            if (message == lastMessage && lastReceivers.add(to)) {
                // The same message to another receiver (a push or announcement to several neighbours): its
                // signature and sequence serve again. Each receiver still sees each sequence once, and only this
                // peer can put its messages on its own links, so nothing here can be replayed.
                network.send(to, lastSigned);
                return;
            }
            long sequence = nextSequence++;
            ContentWriter content = content(selfWords[0], selfWords[1], selfWords[2], selfWords[3], sequence, message);
            byte[] signature = authenticator.sign(content.buffer(), content.length());
            lastMessage = message;
            lastSigned = new SignedMessage<>(self, sequence, message, signature);
            lastReceivers.clear();
            lastReceivers.add(to);
            network.send(to, lastSigned);
        };
    }

    /**
     * Lets the protocol name messages that would change nothing (e.g. an announcement of a block it has):
     * they are dropped after the cheap checks and before the signature check, uncounted as drops (they are
     * not faults) but counted in {@link #staleSkipped()}. Nothing of an unverified message reaches any state.
     */
    public void skipStale(Predicate<M> stale) {
        this.stale = stale;
    }

    /** Messages dropped unverified because the protocol found them stale. */
    public long staleSkipped() {
        return staleSkipped;
    }

    /** Signatures checked and found valid; any thread (the count may lag by a few messages). */
    public long verificationsPassed() {
        return verificationsPassed;
    }

    /** Signatures checked and refused (each also a {@link Drop#BAD_SIGNATURE} drop); any thread, may lag. */
    public long verificationsFailed() {
        return verificationsFailed;
    }

    /** Where the network delivers: checks, then passes the message to the protocol. */
    @Override
    public void onMessage(PkiId from, SignedMessage<M> signed) {
        long nowMillis = clock.nowMillis();
        int row = senders.rowOf(from, burst, nowMillis);
        long[] state = senders.rows();
        if (!tryTake(state, row, nowMillis)) {
            drop(Drop.RATE_LIMITED, from, "over " + config.messagesPerSecondMax() + " messages/s");
            return;
        }
        if (!signed.signer().equals(from)) {
            drop(Drop.SIGNER_MISMATCH, from, "message signed as " + signed.signer() + " arrived on the link of " + from);
            return;
        }
        if (membership.organization(from).isEmpty()) {
            drop(Drop.UNKNOWN_ORGANIZATION, from, "sender belongs to no organisation this peer knows");
            return;
        }
        int window = row + SenderStates.WINDOW;
        ReplayWindow.Verdict verdict = ReplayWindow.check(state, window, senders.windowWords(), signed.sequence());
        if (verdict != ReplayWindow.Verdict.FRESH) {
            drop(verdict == ReplayWindow.Verdict.REPLAYED ? Drop.REPLAYED : Drop.TOO_OLD, from,
                    "sequence " + signed.sequence() + " " + (verdict == ReplayWindow.Verdict.REPLAYED
                            ? "was already received" : "is older than the replay window"));
            return;
        }
        if (stale.test(signed.message())) {
            staleSkipped++;
            return;
        }
        try {
            // The signer's words come from the PKI-ID itself: 100,000 peers share one set of IDs, and a copy per
            // sender in every receiver's table made the table half as large again.
            ContentWriter content = content(from.word(0), from.word(1), from.word(2), from.word(3), signed.sequence(),
                    signed.message());
            authenticator.verify(from, content.buffer(), content.length(), signed.signature());
        } catch (AuthenticationException e) {
            verificationsFailed++;
            drop(Drop.BAD_SIGNATURE, from, e.getMessage());
            return;
        }
        verificationsPassed++;
        ReplayWindow.record(state, window, senders.windowWords(), signed.sequence());
        protocol.onMessage(from, signed.message());
    }

    /**
     * What a signature covers: the signer's PKI-ID, the sequence, then the codec's content; written into this
     * thread's buffer, valid until the next call (the caller signs or verifies it before anything else runs).
     */
    private ContentWriter content(long signer0, long signer1, long signer2, long signer3, long sequence, M message) {
        ContentWriter out = CONTENT.get();
        if (out.capacity() > CONTENT_RETAINED_BYTES_MAX) {
            out = new ContentWriter(256);
            CONTENT.set(out);
        }
        out.reset();
        out.writeLong(signer0).writeLong(signer1).writeLong(signer2).writeLong(signer3);
        out.writeLong(sequence);
        codec.writeSignedContent(message, out);
        return out;
    }

    /**
     * Takes one of the sender's tokens (its row at {@code row}), if any is left after refilling for the time since
     * its last message.
     */
    private boolean tryTake(long[] state, int row, long nowMillis) {
        double tokens = Double.longBitsToDouble(state[row + SenderStates.TOKENS]);
        long lastMillis = state[row + SenderStates.LAST_MILLIS];
        if (nowMillis > lastMillis) {
            tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * ratePerMilli);
            state[row + SenderStates.LAST_MILLIS] = nowMillis;
        }
        if (tokens >= 1) {
            state[row + SenderStates.TOKENS] = Double.doubleToRawLongBits(tokens - 1);
            return true;
        }
        state[row + SenderStates.TOKENS] = Double.doubleToRawLongBits(tokens);
        return false;
    }

    private void drop(Drop reason, PkiId from, String detail) {
        drops.merge(reason, 1L, Long::sum);
        dropListener.accept(from, reason + ": " + detail);
    }

    public long drops(Drop reason) {
        return drops.getOrDefault(reason, 0L);
    }

    public Map<Drop, Long> drops() {
        return new EnumMap<>(drops);
    }
}
