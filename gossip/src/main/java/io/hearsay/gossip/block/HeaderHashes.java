package io.hearsay.gossip.block;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.block.BlockHashing;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Header hashes ({@link BlockHashing#headerHash}) remembered per header object. Gossip names a block by its
 * header hash in every push, announcement, duplicate check and signed message, so one block arriving at a
 * peer used to cost four or five DER encodings and SHA-256s; in the simulator, where 100,000 peers share
 * one immutable block object, that was a tenth of the run. A header is an immutable protobuf message, so its
 * hash never changes, and the cache is keyed by object identity: a block decoded afresh from the wire is a
 * new object and is hashed afresh (one miss), never confused with another.
 *
 * <p>Direct-mapped, {@value #SLOTS} slots, so it is bounded and never iterated; a collision only costs a
 * recomputation. Shared by every gossip instance in the process and safe across threads without locks: each
 * slot holds an immutable entry (final fields), published by a single reference write, so a reader sees
 * either a whole entry or an older one. Which slot a header lands in depends on its identity hash code,
 * which varies between JVM runs; that changes only hits and misses, never a returned hash, so protocol
 * behaviour stays a function of the seed.
 */
public final class HeaderHashes {
    private static final int SLOTS = 1024;

    private record Entry(BlockHeader header, ByteString hash) {}

    private static final Entry[] ENTRIES = new Entry[SLOTS];

    private HeaderHashes() {}

    /** The header hash of {@code block}, as an immutable {@link ByteString} (callers may share it). */
    public static ByteString of(Block block) {
        return of(block.getHeader());
    }

    public static ByteString of(BlockHeader header) {
        int slot = System.identityHashCode(header) & (SLOTS - 1);
        Entry entry = ENTRIES[slot];
        if (entry != null && entry.header() == header) {
            return entry.hash();
        }
        ByteString hash = ByteString.copyFrom(BlockHashing.headerHash(header));
        ENTRIES[slot] = new Entry(header, hash);
        return hash;
    }
}
