package io.hearsay.ledger.validation;

import io.hearsay.ledger.state.StateCodec;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;

/**
 * The stateless rules for a transaction's recorded range queries ({@code KVRWSet.range_queries_info}): what
 * makes one unusable whatever the state, so the transaction is {@code BAD_RWSET} before the committer spends a
 * storage scan on it. The committer's phantom check ({@code PhantomReads}) then costs at most one state entry per
 * raw read plus one per query, so these bounds also bound what one transaction can make a commit iterate.
 *
 * <p>Fabric lets a range query carry a Merkle summary of its reads instead of the reads
 * ({@code reads_merkle_hashes}); Hearsay's contracts never produce one and its committer cannot check one, so it
 * is refused here rather than waved through.
 */
final class RangeQueryShape {
    /**
     * Range queries per transaction: 1,000. A contract needs a handful; each costs the committer one storage
     * iterator, so a transaction of thousands is an attack on commit time, not a use.
     */
    static final int RANGE_QUERIES_PER_TRANSACTION_MAX = 1_000;
    /**
     * Raw reads over all range queries of a transaction: 100,000, ten full ranges at the contract stub's default
     * limit of 10,000 entries. The committer re-reads each one, in the transaction's turn, on the commit path.
     */
    static final int RANGE_READS_PER_TRANSACTION_MAX = 100_000;

    private RangeQueryShape() {}

    /** Null if {@code kvRwSet}'s range queries can be checked for phantoms, else why not. */
    static String problem(String namespace, KVRWSet kvRwSet) {
        if (kvRwSet.getRangeQueriesInfoCount() > RANGE_QUERIES_PER_TRANSACTION_MAX) {
            return kvRwSet.getRangeQueriesInfoCount() + " range queries in namespace '" + namespace + "', over the limit of "
                    + RANGE_QUERIES_PER_TRANSACTION_MAX + "; read fewer, larger ranges";
        }
        long rawReads = 0;
        for (RangeQueryInfo range : kvRwSet.getRangeQueriesInfoList()) {
            if (range.hasReadsMerkleHashes()) {
                return "range query from '" + range.getStartKey() + "' in namespace '" + namespace
                        + "' carries a Merkle summary; only raw reads can be checked for phantoms";
            }
            if (!range.getEndKey().isEmpty() && StateCodec.compareKeys(range.getStartKey(), range.getEndKey()) > 0) {
                return "range query in namespace '" + namespace + "' starts at '" + range.getStartKey()
                        + "', after its end '" + range.getEndKey() + "'";
            }
            rawReads += range.getRawReads().getKvReadsCount();
        }
        if (rawReads > RANGE_READS_PER_TRANSACTION_MAX) {
            return rawReads + " range-query reads in namespace '" + namespace + "', over the limit of "
                    + RANGE_READS_PER_TRANSACTION_MAX + " per transaction; page through the range in several transactions";
        }
        return null;
    }
}
