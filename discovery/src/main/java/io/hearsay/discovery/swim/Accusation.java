package io.hearsay.discovery.swim;

import io.hearsay.discovery.auth.AuthenticationException;
import io.hearsay.discovery.auth.ContentWriter;
import io.hearsay.discovery.auth.MessageAuthenticator;
import io.hearsay.identity.PkiId;
import java.util.Arrays;
import java.util.Objects;

/**
 * "{@code accuser} holds {@code subject}'s incarnation {@code incarnation} to be suspect (or dead)", signed by
 * the accuser. Signed so that it can be relayed and still count as that accuser's own finding: the
 * Lifeguard suspicion timeout shrinks with the number of independent accusers, and a peer must not be able
 * to invent them. Only a higher incarnation from the subject itself overrides it.
 */
public record Accusation(Charge charge, PkiId subject, long incarnation, PkiId accuser, byte[] signature)
        implements MemberUpdate {
    /** What the subject is accused of. */
    public enum Charge {
        SUSPECT,
        DEAD
    }

    private static final String DOMAIN = "hearsay/accusation/1";

    public Accusation {
        Objects.requireNonNull(charge, "charge");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(accuser, "accuser");
        Objects.requireNonNull(signature, "signature");
        if (incarnation < 0) {
            throw new IllegalArgumentException("incarnation cannot be negative, got " + incarnation);
        }
    }

    public static Accusation sign(Charge charge, PkiId subject, long incarnation, PkiId accuser,
            MessageAuthenticator authenticator) {
        Accusation unsigned = new Accusation(charge, subject, incarnation, accuser, new byte[0]);
        ContentWriter content = new ContentWriter(96);
        unsigned.writeSignedContent(content);
        return new Accusation(charge, subject, incarnation, accuser, authenticator.sign(content.buffer(), content.length()));
    }

    /** Checks the signature against the accuser's key. */
    public void verify(MessageAuthenticator authenticator) throws AuthenticationException {
        ContentWriter content = new ContentWriter(96);
        writeSignedContent(content);
        authenticator.verify(accuser, content.buffer(), content.length(), signature);
    }

    public void writeSignedContent(ContentWriter out) {
        out.writeUtf(DOMAIN);
        out.writeByte(charge.ordinal());
        out.write(subject.toBytes());
        out.writeLong(incarnation);
        out.write(accuser.toBytes());
    }

    public boolean isDead() {
        return charge == Charge.DEAD;
    }

    @Override
    public int sizeBytes() {
        return 1 + 2 * PkiId.LENGTH_BYTES + 8 + 1 + signature.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Accusation that && charge == that.charge && subject.equals(that.subject)
                && incarnation == that.incarnation && accuser.equals(that.accuser)
                && Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(charge, subject, incarnation, accuser);
    }

    @Override
    public String toString() {
        return charge + "[" + subject + " inc " + incarnation + " by " + accuser + "]";
    }
}
