package io.hearsay.discovery.swim;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * What a member says about itself beyond its address, carried in its signed alive record: its ledger height
 * and head hash (so peers know whom to repair from without asking) and its role.
 *
 * @param headHash the header hash of the member's newest block; at most {@value #HEAD_HASH_BYTES_MAX} bytes
 */
public record MemberMetadata(long ledgerHeight, ByteString headHash, MemberRole role) {
    /** A SHA-256 hash is 32 bytes; anything much longer is not a hash. */
    public static final int HEAD_HASH_BYTES_MAX = 64;

    public MemberMetadata {
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(role, "role");
        if (ledgerHeight < 0) {
            throw new IllegalArgumentException("ledgerHeight is " + ledgerHeight + "; it cannot be negative");
        }
        if (headHash.size() > HEAD_HASH_BYTES_MAX) {
            throw new IllegalArgumentException("headHash is " + headHash.size() + " bytes; at most "
                    + HEAD_HASH_BYTES_MAX + " allowed");
        }
    }

    /** An ordinary peer with an empty ledger. */
    public static MemberMetadata of(MemberRole role) {
        return new MemberMetadata(0, ByteString.EMPTY, role);
    }

    public MemberMetadata withLedger(long height, ByteString hash) {
        return new MemberMetadata(height, hash, role);
    }

    public int sizeBytes() {
        return 8 + 1 + headHash.size();
    }
}
