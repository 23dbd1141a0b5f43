package io.hearsay.testnet.verify;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.block.BlockHashing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Checks that peers' ledgers agree: each peer's hash chain is intact (previous_hash is the header hash of the block
 * before, by Fabric's rule, and data_hash is the hash of the data), every peer has the same block at every height
 * (no fork), peers that report state hashes report equal ones at equal heights, and the bank contract's invariant
 * holds on every peer's chain (see {@link BankReplay}).
 *
 * <p>Reads every peer's chain once, all in step, height by height, so it holds one block per peer at a time
 * whatever the length of the chains, and it finds the first divergent height without reading further than needed
 * to report it. A peer whose chain cannot be read is a finding, not an exception: the others are still checked.
 *
 * <pre>
 * for h = 0, 1, …:  for each peer with a block h: read it → number, previous_hash, data_hash, bank replay
 *                   compare header hashes across peers → FORK; compare state hashes where known → STATE_HASH
 * at the end:       compare heights → HEIGHT (optional)
 * </pre>
 *
 * Pure: no threads, clocks or I/O of its own; the sources do the reading.
 */
public final class ConsistencyVerifier {
    private static final HexFormat HEX = HexFormat.of();

    private final VerifierOptions options;

    public ConsistencyVerifier(VerifierOptions options) {
        this.options = options;
    }

    public ConsistencyVerifier() {
        this(VerifierOptions.defaults());
    }

    public VerificationReport verify(List<? extends ChainSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no peers to verify");
        }
        Set<String> names = new HashSet<>();
        for (ChainSource source : sources) {
            if (!names.add(source.peer())) {
                throw new IllegalArgumentException("peer " + source.peer() + " is listed twice");
            }
        }
        Findings findings = new Findings(options.findingsMax());
        List<PeerRead> peers = sources.stream().map(PeerRead::new).toList();
        try {
            peers.forEach(peer -> peer.open(findings));
            for (long height = 0; peers.stream().anyMatch(PeerRead::reading); height++) {
                List<PeerRead> atHeight = new ArrayList<>();
                for (PeerRead peer : peers) {
                    if (peer.readNext(height, findings)) {
                        atHeight.add(peer);
                    }
                }
                compare(height, atHeight, Check.FORK, peer -> HEX.formatHex(peer.headerHash), findings);
                compare(height, atHeight.stream().filter(peer -> peer.stateHash != null).toList(), Check.STATE_HASH,
                        peer -> HEX.formatHex(peer.stateHash), findings);
            }
        } finally {
            peers.forEach(PeerRead::close);
        }
        if (options.requireEqualHeights()) {
            checkHeights(peers, findings);
        }
        return new VerificationReport(peers.stream().map(PeerRead::summary).toList(), findings.kept(), findings.omitted());
    }

    /**
     * Groups the peers at {@code height} by {@code key}; all but the largest group (ties: the first peer's) diverge.
     * A peer that diverged before is not reported again for the same check: its first divergence is the news.
     */
    private static void compare(long height, List<PeerRead> peers, Check check, Function<PeerRead, String> key,
            Findings findings) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (PeerRead peer : peers) {
            groups.computeIfAbsent(key.apply(peer), k -> new ArrayList<>()).add(peer.name());
        }
        if (groups.size() < 2) {
            return;
        }
        String reference = groups.entrySet().stream()
                .reduce((a, b) -> b.getValue().size() > a.getValue().size() ? b : a).orElseThrow().getKey();
        List<String> divergent = new ArrayList<>();
        for (PeerRead peer : peers) {
            if (!key.apply(peer).equals(reference) && peer.diverged.add(check)) {
                divergent.add(peer.name());
            }
        }
        if (divergent.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        groups.forEach((hash, group) -> parts.add(abbreviate(hash) + " on " + String.join(", ", group)));
        String what = check == Check.FORK ? "block " + height + " has header hash " : "state hash after block " + height + " is ";
        findings.add(new Finding(check, height, divergent, what + String.join("; ", parts)));
    }

    private static void checkHeights(List<PeerRead> peers, Findings findings) {
        long highest = peers.stream().mapToLong(peer -> peer.height).max().orElse(0);
        for (PeerRead peer : peers) {
            if (peer.height < highest && peer.readError == null) {
                findings.add(new Finding(Check.HEIGHT, peer.height, List.of(peer.name()), "at height " + peer.height
                        + " while the highest peer is at " + highest + ": it is missing blocks " + peer.height + " to "
                        + (highest - 1)));
            }
        }
    }

    static String abbreviate(String hex) {
        return hex.length() <= 16 ? hex : hex.substring(0, 16) + "…";
    }

    /** One peer's chain being read: where it is, what it last saw, its recomputed bank. */
    private static final class PeerRead {
        final ChainSource source;
        final BankReplay bank = new BankReplay();
        final Set<Check> diverged = new HashSet<>();
        ChainSource.Chain chain;
        long height;
        byte[] headerHash;
        byte[] stateHash;
        byte[] lastStateHash;
        String readError;
        boolean exhausted;

        PeerRead(ChainSource source) {
            this.source = source;
        }

        String name() {
            return source.peer();
        }

        boolean reading() {
            return chain != null && !exhausted && readError == null;
        }

        void open(Findings findings) {
            try {
                chain = source.open();
            } catch (RuntimeException e) {
                fail(0, "cannot read its chain: " + describe(e), findings);
            }
        }

        /** Reads block {@code number} and checks it against this peer's previous block; false if there is none. */
        boolean readNext(long number, Findings findings) {
            if (!reading()) {
                return false;
            }
            Block block;
            try {
                if (!chain.hasNext()) {
                    exhausted = true;
                    return false;
                }
                block = chain.next();
            } catch (RuntimeException e) {
                fail(number, "cannot read block " + number + ": " + describe(e), findings);
                return false;
            }
            checkBlock(number, block, findings);
            headerHash = BlockHashing.headerHash(block.getHeader());
            height = number + 1;
            stateHash = stateHashAfter(number, findings);
            if (stateHash != null) {
                lastStateHash = stateHash;
            }
            return true;
        }

        private void checkBlock(long number, Block block, Findings findings) {
            if (block.getHeader().getNumber() != number) {
                findings.add(new Finding(Check.BLOCK_NUMBER, number, List.of(name()), "block at position " + number
                        + " carries number " + Long.toUnsignedString(block.getHeader().getNumber())));
            }
            ByteString expectedPrevious = number == 0 ? ByteString.EMPTY : ByteString.copyFrom(headerHash);
            if (!block.getHeader().getPreviousHash().equals(expectedPrevious)) {
                findings.add(new Finding(Check.HASH_CHAIN, number, List.of(name()), "previous_hash "
                        + abbreviate(HEX.formatHex(block.getHeader().getPreviousHash().toByteArray()))
                        + " is not the header hash of block " + (number - 1) + " on this peer ("
                        + abbreviate(HEX.formatHex(expectedPrevious.toByteArray())) + ")"));
            }
            byte[] dataHash = BlockHashing.dataHash(block.getData());
            if (!Arrays.equals(dataHash, block.getHeader().getDataHash().toByteArray())) {
                findings.add(new Finding(Check.DATA_HASH, number, List.of(name()), "data_hash "
                        + abbreviate(HEX.formatHex(block.getHeader().getDataHash().toByteArray()))
                        + " does not match the block's data (" + abbreviate(HEX.formatHex(dataHash))
                        + "): the stored block was altered or corrupted"));
            }
            try {
                for (String problem : bank.apply(block)) {
                    findings.add(new Finding(Check.BANK_INVARIANT, number, List.of(name()), problem));
                }
            } catch (MalformedBlockException e) {
                findings.add(new Finding(Check.MALFORMED_BLOCK, number, List.of(name()), e.getMessage()));
            }
        }

        private byte[] stateHashAfter(long number, Findings findings) {
            try {
                return source.stateHashAfter(number).orElse(null);
            } catch (RuntimeException e) {
                fail(number, "cannot read its state hash after block " + number + ": " + describe(e), findings);
                return null;
            }
        }

        private void fail(long number, String message, Findings findings) {
            readError = message;
            findings.add(new Finding(Check.READ_FAILURE, number, List.of(name()), message));
        }

        void close() {
            if (chain != null) {
                try {
                    chain.close();
                } catch (RuntimeException e) {
                    // The report is what matters; a source that fails to close has been read already.
                }
            }
        }

        PeerSummary summary() {
            return new PeerSummary(name(), height, headerHash == null ? "" : HEX.formatHex(headerHash),
                    Optional.ofNullable(lastStateHash).map(HEX::formatHex), bank.total(), bank.accounts(),
                    Optional.ofNullable(readError));
        }

        private static String describe(RuntimeException e) {
            String message = e.getMessage();
            Throwable cause = e.getCause();
            if (cause != null && cause.getMessage() != null && (message == null || !message.contains(cause.getMessage()))) {
                message = (message == null ? "" : message + ": ") + cause.getMessage();
            }
            return message == null ? e.getClass().getSimpleName() : message;
        }
    }

    /** The findings kept (up to a bound) and how many more there were. */
    private static final class Findings {
        private final int max;
        private final List<Finding> kept = new ArrayList<>();
        private int omitted;

        Findings(int max) {
            this.max = max;
        }

        void add(Finding finding) {
            if (kept.size() < max) {
                kept.add(finding);
            } else {
                omitted++;
            }
        }

        List<Finding> kept() {
            return kept;
        }

        int omitted() {
            return omitted;
        }
    }
}
