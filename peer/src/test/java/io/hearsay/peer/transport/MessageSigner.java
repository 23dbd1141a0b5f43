package io.hearsay.peer.transport;

import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.gossip.auth.Codecs;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import java.util.Optional;

/**
 * Signs block messages exactly as a peer does — through a real {@link AuthenticatedChannel}, whose transport
 * here only captures what it would send — so a test can send, tamper with or replay a genuinely signed
 * envelope. Sequence numbers run on from {@code firstSequence}. Not thread-safe.
 */
final class MessageSigner {
    private final PkiId self;
    private final AuthenticatedChannel<BlockMessage> channel;
    private SignedMessage<BlockMessage> signed;

    MessageSigner(SigningIdentity identity, long firstSequence) {
        this.self = identity.pkiId();
        Membership nobody = new Membership() {
            @Override
            public PkiId self() {
                return self;
            }

            @Override
            public PeerSet neighbours() {
                return PeerSet.empty();
            }

            @Override
            public Optional<String> organization(PkiId peer) {
                return Optional.empty();
            }
        };
        this.channel = new AuthenticatedChannel<>(self, new EcdsaAuthenticator(identity, peer -> Optional.empty()),
                Codecs.blocks(SampleChannel.CHANNEL), nobody, () -> 0, IntegrityConfig.defaults(), (to, message) -> signed = message,
                (from, message) -> { }, (from, reason) -> { }, firstSequence);
    }

    SignedMessage<BlockMessage> sign(BlockMessage message) {
        channel.transport().send(self, message);
        return signed;
    }
}
