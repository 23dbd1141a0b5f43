package io.hearsay.gossip.auth;

import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.HashMap;
import java.util.function.BiConsumer;

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
 */
public final class AuthenticatedChannel<M> {
    /** Why a message was dropped. */
    public enum Drop { RATE_LIMITED, SIGNER_MISMATCH, UNKNOWN_ORGANIZATION, REPLAYED, TOO_OLD, BAD_SIGNATURE }

    private final PkiId self;
    private final MessageAuthenticator authenticator;
    private final MessageCodec<M> codec;
    private final Membership membership;
    private final Clock clock;
    private final IntegrityConfig config;
    private final Transport<SignedMessage<M>> network;
    private final MessageHandler<M> protocol;
    private final BiConsumer<PkiId, String> dropListener;
    // Looked up per message, never iterated: hash maps keep the per-message cost flat.
    private final Map<PkiId, ReplayWindow> windows = new HashMap<>();
    private final Map<PkiId, TokenBucket> buckets = new HashMap<>();
    private final EnumMap<Drop, Long> drops = new EnumMap<>(Drop.class);
    private long nextSequence;

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
        this.nextSequence = firstSequence;
    }

    /** The transport the protocol sends with: signs, then hands to the network. */
    public Transport<M> transport() {
        return (to, message) -> {
            long sequence = nextSequence++;
            byte[] signature = authenticator.sign(content(self, sequence, message));
            network.send(to, new SignedMessage<>(self, sequence, message, signature));
        };
    }

    /** Where the network delivers: checks, then passes the message to the protocol. */
    public void onMessage(PkiId from, SignedMessage<M> signed) {
        TokenBucket bucket = buckets.computeIfAbsent(from,
                peer -> new TokenBucket(config.messagesPerSecondMax(), config.burstMessagesMax(), clock.nowMillis()));
        if (!bucket.tryTake(clock.nowMillis())) {
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
        ReplayWindow window = windows.computeIfAbsent(from, peer -> new ReplayWindow(config.replayWindowMessages()));
        ReplayWindow.Verdict verdict = window.check(signed.sequence());
        if (verdict != ReplayWindow.Verdict.FRESH) {
            drop(verdict == ReplayWindow.Verdict.REPLAYED ? Drop.REPLAYED : Drop.TOO_OLD, from,
                    "sequence " + signed.sequence() + " " + (verdict == ReplayWindow.Verdict.REPLAYED
                            ? "was already received" : "is older than the replay window"));
            return;
        }
        try {
            authenticator.verify(from, content(from, signed.sequence(), signed.message()), signed.signature());
        } catch (AuthenticationException e) {
            drop(Drop.BAD_SIGNATURE, from, e.getMessage());
            return;
        }
        window.record(signed.sequence());
        protocol.onMessage(from, signed.message());
    }

    private byte[] content(PkiId signer, long sequence, M message) {
        byte[] body = codec.signedContent(message);
        return ByteBuffer.allocate(PkiId.LENGTH_BYTES + 8 + body.length)
                .put(signer.toBytes()).putLong(sequence).put(body).array();
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
