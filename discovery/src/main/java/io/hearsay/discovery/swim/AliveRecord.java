package io.hearsay.discovery.swim;

import io.hearsay.discovery.auth.AuthenticationException;
import io.hearsay.discovery.auth.ContentWriter;
import io.hearsay.discovery.auth.MessageAuthenticator;
import io.hearsay.identity.PkiId;
import java.util.Arrays;
import java.util.Objects;

/**
 * A member's statement that it is alive: who it is, its organisation, where to reach it, its version and its
 * metadata, signed by the member itself so that others can relay it unchanged.
 *
 * <p>The version is {@code (incarnation, sequence)}, compared lexicographically. The incarnation rises when
 * the member restarts or refutes a suspicion of itself (SWIM); the sequence rises, within one incarnation,
 * whenever the member republishes changed metadata, and restarts at 0 with each incarnation. A record is
 * accepted only if it is newer than the one held, so a replayed old record changes nothing.
 *
 * @param internalEndpoint where peers of the same organisation dial this member (never shown to other
 *     organisations once visibility rules apply)
 * @param externalEndpoint where other organisations dial it; empty: invisible to them (Fabric's rule)
 * @param signature the member's signature over {@link #writeSignedContent}
 */
public record AliveRecord(PkiId peer, String organization, String internalEndpoint, String externalEndpoint,
        long incarnation, long sequence, MemberMetadata metadata, byte[] signature) implements MemberUpdate {
    /** Organisation and endpoint strings longer than this are refused: an address is not a payload. */
    public static final int TEXT_CHARS_MAX = 255;
    /** Separates the bytes an alive record signs from any other signed content (domain separation). */
    private static final String DOMAIN = "hearsay/alive-record/1";

    public AliveRecord {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(signature, "signature");
        checkText("organization", organization, false);
        checkText("internalEndpoint", internalEndpoint, true);
        checkText("externalEndpoint", externalEndpoint, true);
        if (incarnation < 0 || sequence < 0) {
            throw new IllegalArgumentException("incarnation and sequence cannot be negative, got (" + incarnation
                    + ", " + sequence + ")");
        }
    }

    private static void checkText(String field, String value, boolean mayBeEmpty) {
        Objects.requireNonNull(value, field);
        if ((!mayBeEmpty && value.isEmpty()) || value.length() > TEXT_CHARS_MAX) {
            throw new IllegalArgumentException(field + " has " + value.length() + " characters; it must have "
                    + (mayBeEmpty ? "0" : "1") + " to " + TEXT_CHARS_MAX);
        }
    }

    /** Signs a record with the member's own authenticator. */
    public static AliveRecord sign(PkiId peer, String organization, String internalEndpoint, String externalEndpoint,
            long incarnation, long sequence, MemberMetadata metadata, MessageAuthenticator authenticator) {
        AliveRecord unsigned = new AliveRecord(peer, organization, internalEndpoint, externalEndpoint, incarnation,
                sequence, metadata, new byte[0]);
        ContentWriter content = new ContentWriter(128);
        unsigned.writeSignedContent(content);
        return unsigned.withSignature(authenticator.sign(content.buffer(), content.length()));
    }

    /** Checks the signature against the member's own key. */
    public void verify(MessageAuthenticator authenticator) throws AuthenticationException {
        ContentWriter content = new ContentWriter(128);
        writeSignedContent(content);
        authenticator.verify(peer, content.buffer(), content.length(), signature);
    }

    /** The same record with another signature (for tests that forge one). */
    public AliveRecord withSignature(byte[] newSignature) {
        return new AliveRecord(peer, organization, internalEndpoint, externalEndpoint, incarnation, sequence, metadata,
                newSignature.clone());
    }

    /** The canonical bytes the signature covers: every field but the signature. */
    public void writeSignedContent(ContentWriter out) {
        out.writeUtf(DOMAIN);
        out.write(peer.toBytes());
        out.writeUtf(organization);
        out.writeUtf(internalEndpoint);
        out.writeUtf(externalEndpoint);
        out.writeLong(incarnation);
        out.writeLong(sequence);
        out.writeLong(metadata.ledgerHeight());
        out.writeInt(metadata.headHash().size());
        out.write(metadata.headHash());
        out.writeByte(metadata.role().ordinal());
    }

    /** Negative, zero or positive as this record's version is older than, equal to or newer than {@code other}'s. */
    public int compareVersion(AliveRecord other) {
        int byIncarnation = Long.compare(incarnation, other.incarnation);
        return byIncarnation != 0 ? byIncarnation : Long.compare(sequence, other.sequence);
    }

    public boolean isNewerThan(AliveRecord other) {
        return compareVersion(other) > 0;
    }

    public boolean isAnchor() {
        return metadata.role() == MemberRole.ANCHOR;
    }

    @Override
    public PkiId subject() {
        return peer;
    }

    @Override
    public int sizeBytes() {
        return PkiId.LENGTH_BYTES + 6 + organization.length() + internalEndpoint.length() + externalEndpoint.length()
                + 16 + metadata.sizeBytes() + 1 + signature.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AliveRecord that && peer.equals(that.peer) && organization.equals(that.organization)
                && internalEndpoint.equals(that.internalEndpoint) && externalEndpoint.equals(that.externalEndpoint)
                && incarnation == that.incarnation && sequence == that.sequence && metadata.equals(that.metadata)
                && Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(peer, incarnation, sequence);
    }

    @Override
    public String toString() {
        return "Alive[" + peer + " " + organization + " (" + incarnation + ", " + sequence + ") " + metadata.role() + "]";
    }
}
