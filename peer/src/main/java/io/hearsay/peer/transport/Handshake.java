package io.hearsay.peer.transport;

import com.google.protobuf.ByteString;
import io.hearsay.identity.Identity;
import io.hearsay.identity.IdentityException;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.OrganizationMsp;
import io.hearsay.identity.Role;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.proto.gossip.Hello;
import io.hearsay.proto.gossip.Proof;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * The gossip connection handshake. Each side sends a fresh random challenge, then proves who it is by
 * signing, with its peer signing identity:
 *
 * <pre>  "hearsay-gossip-handshake/1" ‖ the other side's challenge ‖ its own challenge ‖ SHA-256(its TLS certificate)</pre>
 *
 * The other side's challenge makes the proof fresh (it cannot be replayed on another connection); the
 * hash of the TLS certificate presented on this very connection binds the signing identity to the TLS
 * channel (a stolen TLS key alone cannot impersonate a peer, nor can a proof be relayed through another
 * TLS session). The verifier checks the identity against its organisation's CA, its role (peer), that the
 * TLS certificate comes from the same organisation's TLS CA, and the signature.
 */
final class Handshake {
    /** 2: envelopes no longer carry their signer's PKI-ID (it is the link's); a version-1 peer would refuse them all. */
    static final int VERSION = 2;
    static final int CHALLENGE_BYTES = 32;
    private static final byte[] LABEL = "hearsay-gossip-handshake/1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {}

    static byte[] newChallenge() {
        byte[] challenge = new byte[CHALLENGE_BYTES];
        RANDOM.nextBytes(challenge);
        return challenge;
    }

    static Hello hello(byte[] challenge) {
        return Hello.newBuilder().setChallenge(ByteString.copyFrom(challenge)).setVersion(VERSION).build();
    }

    /** The other side's challenge from its hello. */
    static byte[] challengeOf(Hello hello) throws HandshakeException {
        if (hello.getVersion() != VERSION) {
            throw new HandshakeException("peer speaks handshake version " + hello.getVersion() + ", this peer " + VERSION);
        }
        if (hello.getChallenge().size() != CHALLENGE_BYTES) {
            throw new HandshakeException("challenge is " + hello.getChallenge().size() + " bytes, not " + CHALLENGE_BYTES);
        }
        return hello.getChallenge().toByteArray();
    }

    static Proof prove(SigningIdentity self, byte[] theirChallenge, byte[] ownChallenge, byte[] ownTlsCertificateHash) {
        byte[] signature = self.sign(content(theirChallenge, ownChallenge, ownTlsCertificateHash));
        return Proof.newBuilder()
                .setIdentity(self.identity().serialized())
                .setSignature(ByteString.copyFrom(signature))
                .build();
    }

    /**
     * Checks the other side's proof.
     *
     * @param theirTlsCertificate the certificate the other side presented in this connection's TLS handshake
     * @return the other side's validated identity
     */
    static Identity verify(Proof proof, byte[] ownChallenge, byte[] theirChallenge, X509Certificate theirTlsCertificate,
            MspDirectory organizations, Instant now) throws HandshakeException {
        Identity identity;
        try {
            identity = organizations.validate(proof.getIdentity());
        } catch (IdentityException e) {
            throw new HandshakeException("identity refused: " + e.getMessage());
        }
        if (identity.role().orElse(null) != Role.PEER) {
            throw new HandshakeException(identity.commonName() + " of " + identity.mspId() + " is not a peer");
        }
        OrganizationMsp organization = organizations.organization(identity.mspId()).orElseThrow();
        try {
            organization.validateTlsCertificate(theirTlsCertificate, now);
        } catch (IdentityException e) {
            throw new HandshakeException("TLS certificate does not belong to " + identity.mspId() + ": " + e.getMessage());
        }
        try {
            identity.verify(content(ownChallenge, theirChallenge, TlsCredentials.hash(theirTlsCertificate)),
                    proof.getSignature().toByteArray());
        } catch (IdentityException e) {
            throw new HandshakeException("proof signature of " + identity.commonName() + " rejected: " + e.getMessage());
        }
        return identity;
    }

    private static byte[] content(byte[] receiverChallenge, byte[] senderChallenge, byte[] senderTlsCertificateHash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(LABEL.length + 3 * 32);
        out.writeBytes(LABEL);
        out.writeBytes(receiverChallenge);
        out.writeBytes(senderChallenge);
        out.writeBytes(senderTlsCertificateHash);
        return out.toByteArray();
    }
}
