package io.hearsay.ledger.crash;

import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The victim of {@link CrashSafetyTest}: run in a child JVM, it opens a RocksDB ledger with the peer's
 * defaults (full validation, a synced write per commit) and commits pre-built blocks as fast as it can
 * until the parent kills it with SIGKILL, or until every block is committed.
 *
 * <p>Arguments: ledger directory, blocks file (length-delimited {@code common.Block}s, numbered from 1),
 * genesis file (one {@code common.Block}), and optionally blocks per call: 1 (the default) commits each block
 * with {@link Ledger#commit}; more commits the chain with {@link Ledger#commitAll} in lists of that many, so
 * kills also land while the pipeline checks, plans and writes several blocks at once. The genesis block comes
 * from a file because the parent built it from crypto material generated with fresh randomness: a genesis
 * built here would differ, and the ledger would refuse to open.
 *
 * <p>Protocol on stdout, one line each: {@code height N} once the ledger is open (the parent starts its
 * kill timer then), {@code committed N} after the commit of block N returns (so the parent can check that
 * a returned commit survives the kill; with {@code commitAll}, for each block of a list once the call
 * returns), {@code done N} after the last commit. It exits 0 only after committing everything.
 */
public final class CrashCommitter {
    private CrashCommitter() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: CrashCommitter <ledger directory> <blocks file> <genesis file> [blocks per call]");
            System.exit(2);
        }
        int blocksPerCall = args.length == 4 ? Integer.parseInt(args[3]) : 1;
        Path directory = Path.of(args[0]);
        List<Block> blocks = readBlocks(Path.of(args[1]));
        Block genesis;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(args[2])))) {
            genesis = Block.parseFrom(in);
        }
        try (Ledger ledger = Ledgers.rocks(directory, genesis, LedgerOptions.defaults())) {
            long height = ledger.height();
            System.out.println("height " + height);
            System.out.flush();
            List<Block> list = new ArrayList<>(blocksPerCall);
            for (Block block : blocks) {
                long number = block.getHeader().getNumber();
                if (number < height) {
                    continue; // committed by an earlier, killed run
                }
                if (number != height + list.size()) {
                    throw new IllegalStateException("blocks file has block " + number + " where " + (height + list.size())
                            + " was expected: it must hold consecutive blocks from 1");
                }
                list.add(block);
                if (list.size() == blocksPerCall) {
                    height = commit(ledger, list);
                }
            }
            height = commit(ledger, list);
            System.out.println("done " + height);
            System.out.flush();
        }
    }

    /** Commits and empties {@code list}; returns the new height. */
    private static long commit(Ledger ledger, List<Block> list) throws Exception {
        if (list.size() == 1) {
            ledger.commit(list.get(0));
        } else if (!list.isEmpty()) {
            ledger.commitAll(list);
        }
        // Printed only after the call returned: the parent may then demand these blocks survive the kill.
        for (Block committed : list) {
            System.out.println("committed " + committed.getHeader().getNumber());
        }
        list.clear();
        return ledger.height();
    }

    private static List<Block> readBlocks(Path file) throws IOException {
        List<Block> blocks = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            Block block;
            // parseDelimitedFrom returns null at a clean end of stream.
            while ((block = Block.parseDelimitedFrom(in)) != null) {
                blocks.add(block);
            }
        }
        return blocks;
    }
}
