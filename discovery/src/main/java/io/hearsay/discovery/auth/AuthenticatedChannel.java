package io.hearsay.discovery.auth;

import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.SmallPeerSet;
import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * miss: a sender's state is one object found by one probe, and the signed content is written into one
 * buffer per thread rather than assembled from fresh arrays.
 */
public final class AuthenticatedChannel<M> implements MessageHandler<SignedMessage<M>> {
    /** Why a message was dropped. */
    public enum Drop { RATE_LIMITED, SIGNER_MISMATCH, UNKNOWN_ORGANIZATION, REPLAYED, TOO_OLD, BAD_SIGNATURE }

    /**
     * What this peer keeps per sender, in one object (a sender's state is most of a simulated peer's memory):
     * its replay window (the class it extends), its token bucket, and its PKI-ID as the four big-endian words
     * that begin every content it signs. The window exists from the sender's first message, before any of its
     * messages passed the checks; that changes nothing, as a window changes only when a verified message is
     * recorded.
     */
    private static final class Sender extends ReplayWindow {
        final PkiId id;
        // The PKI-ID's 32 bytes inline rather than as an array: written with writeLong they are the same bytes,
        // and reading them costs no second cache miss.
        final long id0;
        final long id1;
        final long id2;
        final long id3;
        // The token bucket: messages this sender may still send now (the refill rate and burst are the channel's).
        double tokens;
        long lastMillis;

        Sender(PkiId id, IntegrityConfig config, long nowMillis) {
            super(config.replayWindowMessages());
            this.id = id;
            long[] words = words(id);
            this.id0 = words[0];
            this.id1 = words[1];
            this.id2 = words[2];
            this.id3 = words[3];
            this.tokens = config.burstMessagesMax();
            this.lastMillis = nowMillis;
        }
    }

    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
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
    /**
     * Senders by PKI-ID, open addressing (linear probing, at most half full). Looked up per message, never
     * iterated, so its order cannot leak into a decision. Grows with the senders, as the map it replaced did.
     */
    private Sender[] senders = new Sender[16];
    private int senderCount;
    private final EnumMap<Drop, Long> drops = new EnumMap<>(Drop.class);
    private long nextSequence;
    /**
     * The last message signed, its signed envelope, and whom it went to: a multicast of one message is signed once,
     * and every receiver is handed the same immutable envelope.
     */
    private M lastMessage;
    private SignedMessage<M> lastSigned;
    private final SmallPeerSet lastReceivers = new SmallPeerSet();
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
        this.selfWords = words(self);
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
        Sender sender = sender(from);
        if (!tryTake(sender, clock.nowMillis())) {
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
        ReplayWindow.Verdict verdict = sender.check(signed.sequence());
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
            ContentWriter content = content(sender.id0, sender.id1, sender.id2, sender.id3, signed.sequence(),
                    signed.message());
            authenticator.verify(from, content.buffer(), content.length(), signed.signature());
        } catch (AuthenticationException e) {
            verificationsFailed++;
            drop(Drop.BAD_SIGNATURE, from, e.getMessage());
            return;
        }
        verificationsPassed++;
        sender.record(signed.sequence());
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

    /** The state kept for {@code from}, created (its bucket full as of now) on its first message. */
    private Sender sender(PkiId from) {
        int mask = senders.length - 1;
        int slot = from.hashCode() & mask;
        for (Sender candidate = senders[slot]; candidate != null; candidate = senders[slot]) {
            if (candidate.id == from || candidate.id.equals(from)) {
                return candidate;
            }
            slot = (slot + 1) & mask;
        }
        Sender created = new Sender(from, config, clock.nowMillis());
        senders[slot] = created;
        if (++senderCount * 2 > senders.length) {
            Sender[] old = senders;
            senders = new Sender[old.length * 2];
            for (Sender kept : old) {
                if (kept != null) {
                    int at = kept.id.hashCode() & (senders.length - 1);
                    while (senders[at] != null) {
                        at = (at + 1) & (senders.length - 1);
                    }
                    senders[at] = kept;
                }
            }
        }
        return created;
    }

    /** Takes one of the sender's tokens, if any is left after refilling for the time since its last message. */
    private boolean tryTake(Sender sender, long nowMillis) {
        if (nowMillis > sender.lastMillis) {
            sender.tokens = Math.min(burst, sender.tokens + (nowMillis - sender.lastMillis) * ratePerMilli);
            sender.lastMillis = nowMillis;
        }
        if (sender.tokens >= 1) {
            sender.tokens -= 1;
            return true;
        }
        return false;
    }

    /** A PKI-ID's 32 bytes as four big-endian longs. */
    private static long[] words(PkiId id) {
        byte[] bytes = id.toBytes();
        long[] words = new long[PkiId.LENGTH_BYTES / 8];
        for (int i = 0; i < words.length; i++) {
            words[i] = (long) WORD.get(bytes, 8 * i);
        }
        return words;
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
