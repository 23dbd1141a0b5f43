package io.hearsay.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.identity.IdentityException;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.OrganizationMsp;
import io.hearsay.identity.Pem;
import io.hearsay.ledger.BlockRejectedException.Reason;
import io.hearsay.ledger.CommitPlanner.Head;
import io.hearsay.ledger.CommitPlanner.Plan;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.block.ConfigBlocks;
import io.hearsay.ledger.state.StateCodec;
import io.hearsay.ledger.state.StateHash;
import io.hearsay.ledger.storage.Keyspace;
import io.hearsay.ledger.storage.LedgerStorage;
import io.hearsay.ledger.validation.BlockVerifier;
import io.hearsay.ledger.validation.CheckedTransaction;
import io.hearsay.ledger.validation.EndorsementPolicies;
import io.hearsay.ledger.validation.TransactionValidator;
import io.hearsay.proto.ChannelConfig;
import io.hearsay.proto.Organization;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The {@link Ledger} over any {@link LedgerStorage}: RocksDB for peers, memory for the simulator. Both
 * run this same validation and commit code, so the contract tests prove one implementation twice.
 *
 * <pre>
 * commit(block):  BlockChecker on the check threads: size bound, number, previous hash, then in parallel
 *                   data hash + orderer signature, and TransactionValidator per slice of transactions
 *                   (parse once, canonical encoding, signatures, policy)
 *                 → CommitPlanner (state through a cache of hot keys, one multiGet per keyspace for the rest;
 *                   duplicates, MVCC, state writes, state hash, indexes)
 *                 → storage.write(one batch) → publish the new head
 * commitAll(blocks): the same per block, checking up to pipelineBlocksMax blocks ahead and planning each
 *                    block while the one before is written (CommitPipeline)
 * At block level (no signatures but the orderer's) the committer runs the checks itself, not the check threads.
 * </pre>
 */
public final class StoredLedger implements Ledger {
    private final LedgerStorage storage;
    private final LedgerOptions options;
    private final ChannelConfig config;
    private final MspDirectory msps;
    private final BlockChecker checker;
    private final CommitPlanner planner;
    private final Object commitLock = new Object();
    private volatile Head head;

    private StoredLedger(LedgerStorage storage, LedgerOptions options, ChannelConfig config, Head head) {
        this.storage = storage;
        this.options = options;
        this.config = config;
        this.msps = mspDirectory(config, options);
        BlockVerifier blockVerifier = new BlockVerifier(msps, config.getOrdererMspId());
        TransactionValidator transactionValidator = new TransactionValidator(config.getChannelId(), msps,
                new EndorsementPolicies(config), options.validationLevel() == ValidationLevel.FULL);
        // Only full validation's signatures need the check threads. At block level a block's checks (parsing, hashes,
        // one orderer signature: about 1 core-ms per 100 transactions) cost less than the hand-over to two more
        // threads, which then contend with the writer, the pipeline's critical path: the committer checks each block
        // itself, and commitAll ran about 1.15x faster for it (BENCHMARKS.md, "Ledger commit", session 6).
        boolean checkThreads = options.parallelValidation() && options.validationLevel() == ValidationLevel.FULL;
        this.checker = checkThreads
                ? new BlockChecker(blockVerifier, transactionValidator, options.blockBytesMax(), CheckThreads.shared(),
                        CheckThreads.count())
                : new BlockChecker(blockVerifier, transactionValidator, options.blockBytesMax(), Runnable::run, 1);
        this.planner = new CommitPlanner(storage, options.stateCacheBytes());
        this.head = head;
    }

    /**
     * Opens the ledger of the channel that {@code genesis} starts: commits the genesis block if the
     * storage is empty, or checks that the stored chain starts with it and resumes from the stored head.
     * The genesis block is trusted as given (it is how a peer joins a channel), but it must be internally
     * consistent: its orderer signature verifies under the configuration it carries.
     *
     * @throws BlockRejectedException if {@code genesis} is not a usable genesis block or the stored
     *     ledger belongs to another chain; the storage is then left as it was and not closed
     */
    public static StoredLedger open(LedgerStorage storage, Block genesis, LedgerOptions options) throws BlockRejectedException {
        ChannelConfig config;
        try {
            config = ConfigBlocks.channelConfig(genesis);
        } catch (IllegalArgumentException e) {
            throw new BlockRejectedException(Reason.BAD_CONFIG, genesis.getHeader().getNumber(), e.getMessage());
        }
        StoredLedger ledger;
        try {
            ledger = new StoredLedger(storage, options, config, readHead(storage));
        } catch (IllegalArgumentException | IdentityException e) {
            throw new BlockRejectedException(Reason.BAD_CONFIG, 0, "unusable channel configuration: " + e.getMessage());
        }
        if (ledger.height() == 0) {
            ledger.commit(genesis);
        } else {
            byte[] storedGenesisHash = ledger.block(0).map(b -> BlockHashing.headerHash(b.getHeader())).orElseThrow();
            if (!Arrays.equals(storedGenesisHash, BlockHashing.headerHash(genesis.getHeader()))) {
                throw new BlockRejectedException(Reason.BAD_CONFIG, 0,
                        "the stored ledger starts with another genesis block: it belongs to another channel or network");
            }
        }
        return ledger;
    }

    private static MspDirectory mspDirectory(ChannelConfig config, LedgerOptions options) {
        List<OrganizationMsp> organizations = config.getOrganizationsList().stream()
                .map(StoredLedger::organizationMsp).toList();
        return new MspDirectory(organizations, options.clock());
    }

    private static OrganizationMsp organizationMsp(Organization organization) {
        return new OrganizationMsp(organization.getMspId(),
                Pem.decodeCertificate(organization.getCaCertPem().toByteArray()),
                Pem.decodeCertificate(organization.getTlsCaCertPem().toByteArray()));
    }

    /** Reads the stored head and checks it against the stored chain (a pair check across the disk boundary). */
    private static Head readHead(LedgerStorage storage) {
        byte[] height = storage.get(Keyspace.META, LedgerKeys.META_HEIGHT);
        if (height == null) {
            return new Head(0, new byte[0], StateHash.empty());
        }
        long count = LedgerKeys.number(height);
        byte[] headHash = storage.get(Keyspace.META, LedgerKeys.META_HEAD_HASH);
        byte[] stateHash = storage.get(Keyspace.META, LedgerKeys.META_STATE_HASH);
        byte[] lastBlock = storage.get(Keyspace.BLOCKS, LedgerKeys.number(count - 1));
        if (headHash == null || stateHash == null || lastBlock == null
                || storage.get(Keyspace.BLOCKS, LedgerKeys.number(count)) != null) {
            throw new IllegalStateException("ledger storage is inconsistent: height " + count
                    + " does not match the stored blocks; restore this peer's ledger from a backup or resync it");
        }
        try {
            byte[] actual = BlockHashing.headerHash(Block.parseFrom(lastBlock).getHeader());
            if (!Arrays.equals(actual, headHash)) {
                throw new IllegalStateException("ledger storage is inconsistent: stored head hash differs from block "
                        + (count - 1) + "'s header hash");
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("ledger storage is corrupt: block " + (count - 1) + " does not parse", e);
        }
        return new Head(count, headHash, StateHash.of(stateHash));
    }

    @Override
    public String channelId() {
        return config.getChannelId();
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public MspDirectory organizations() {
        return msps;
    }

    @Override
    public long height() {
        return head.height();
    }

    @Override
    public byte[] headHash() {
        return head.headHash().clone();
    }

    @Override
    public byte[] stateHash() {
        return head.stateHash().toBytes();
    }

    @Override
    public Optional<Block> block(long number) {
        if (number < 0 || number >= head.height()) {
            return Optional.empty();
        }
        return Optional.ofNullable(storage.get(Keyspace.BLOCKS, LedgerKeys.number(number))).map(StoredLedger::parseStored);
    }

    @Override
    public Optional<Block> blockByHash(byte[] headerHash) {
        byte[] number = storage.get(Keyspace.BLOCK_HASHES, headerHash);
        return number == null ? Optional.empty() : block(LedgerKeys.number(number));
    }

    @Override
    public Iterator<Block> blocks(long from, long toExclusive) {
        long end = Math.min(toExclusive, head.height());
        return new Iterator<>() {
            private long next = Math.max(0, from);

            @Override
            public boolean hasNext() {
                return next < end;
            }

            @Override
            public Block next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return block(next++).orElseThrow();
            }
        };
    }

    @Override
    public Optional<VersionedValue> state(String namespace, String key) {
        byte[] stored = storage.get(Keyspace.STATE, StateCodec.key(namespace, key));
        return stored == null ? Optional.empty() : Optional.of(StateCodec.decode(stored));
    }

    @Override
    public StateIterator stateRange(String namespace, String startKey, String endKey) {
        byte[] to = endKey.isEmpty() ? StateCodec.namespaceEnd(namespace) : StateCodec.key(namespace, endKey);
        LedgerStorage.RangeIterator range = storage.scan(Keyspace.STATE, StateCodec.key(namespace, startKey), to);
        return new StateIterator() {
            @Override
            public boolean hasNext() {
                return range.hasNext();
            }

            @Override
            public StateEntry next() {
                LedgerStorage.Entry entry = range.next();
                return new StateEntry(namespace, StateCodec.userKey(namespace, entry.key()), StateCodec.decode(entry.value()));
            }

            @Override
            public void close() {
                range.close();
            }
        };
    }

    @Override
    public Optional<byte[]> stateHashAt(long number) {
        return Optional.ofNullable(storage.get(Keyspace.STATE_HASHES, LedgerKeys.number(number)));
    }

    @Override
    public Optional<TransactionRecord> transaction(String transactionId) {
        byte[] stored = storage.get(Keyspace.TRANSACTIONS, LedgerKeys.transactionId(transactionId));
        return stored == null ? Optional.empty() : Optional.of(LedgerKeys.transactionRecord(transactionId, stored));
    }

    @Override
    public CommitResult commit(Block block) throws BlockRejectedException {
        Objects.requireNonNull(block, "block");
        synchronized (commitLock) {
            Head current = head;
            List<CheckedTransaction> checked = checker.start(block, current.height(),
                    current.height() == 0 ? new byte[0] : current.headHash()).await();
            return apply(block, checked);
        }
    }

    @Override
    public List<CommitResult> commitAll(List<Block> blocks) throws BlockRejectedException {
        blocks.forEach(block -> Objects.requireNonNull(block, "block"));
        synchronized (commitLock) {
            return CommitPipeline.commitAll(blocks, head, checker, planner, storage, published -> head = published,
                    options.pipelineBlocksMax(), options.parallelValidation());
        }
    }

    /** Plans, writes and publishes one checked block. Under the commit lock. */
    private CommitResult apply(Block block, List<CheckedTransaction> checked) {
        Plan plan = planner.plan(block, checked, head);
        storage.write(plan.batch());
        planner.durable(plan);
        head = plan.head();
        return plan.result();
    }

    private static Block parseStored(byte[] bytes) {
        try {
            return Block.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored block does not parse: the ledger is corrupt", e);
        }
    }

    @Override
    public void close() {
        storage.close();
    }
}
