package io.hearsay.testnet.chart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fraction of peers holding a block as time passes after the orderer cut it, averaged over blocks:
 * at time t it is the mean, over the blocks added, of (peers that had committed the block by t) / peers.
 * Averaging over every block of every run (rather than drawing one block) smooths the seed's luck while
 * keeping the shape: the push wave, then any pull tail. Peers that never got a block keep the curve below 1.
 */
public final class CoverageCurve {
    private final List<double[]> sortedDelaysMillis = new ArrayList<>();
    private final List<Integer> peersPerBlock = new ArrayList<>();

    /**
     * Adds one block: each holding peer's delay from the cut to its commit (the leader's is 0), in virtual
     * ms, in any order; {@code peers} counts every peer, those without the block too.
     */
    public void addBlock(double[] delaysMillis, int peers) {
        if (peers < 1 || delaysMillis.length > peers) {
            throw new IllegalArgumentException("a block held by " + delaysMillis.length + " of " + peers
                    + " peers: peers must be at least 1 and at least the holders");
        }
        double[] sorted = delaysMillis.clone();
        Arrays.sort(sorted);
        if (sorted.length > 0 && sorted[0] < 0) {
            throw new IllegalArgumentException("a commit before its block was cut: delay " + sorted[0] + " ms");
        }
        sortedDelaysMillis.add(sorted);
        peersPerBlock.add(peers);
    }

    public int blocks() {
        return sortedDelaysMillis.size();
    }

    /** Mean fraction of peers, 0 to 1, holding a block {@code millis} after its cut; 0 with no blocks. */
    public double fractionAt(double millis) {
        if (sortedDelaysMillis.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (int b = 0; b < sortedDelaysMillis.size(); b++) {
            sum += (double) holdersBy(sortedDelaysMillis.get(b), millis) / peersPerBlock.get(b);
        }
        return sum / sortedDelaysMillis.size();
    }

    /** The smallest delay above zero (the first hop), or NaN if nobody but the leader got a block. */
    public double firstPositiveDelayMillis() {
        double first = Double.NaN;
        for (double[] delays : sortedDelaysMillis) {
            for (double delay : delays) {
                if (delay > 0) {
                    first = Double.isNaN(first) ? delay : Math.min(first, delay);
                    break;
                }
            }
        }
        return first;
    }

    /** The largest delay: when the last peer to get any block got it; 0 with no blocks. */
    public double lastDelayMillis() {
        double last = 0;
        for (double[] delays : sortedDelaysMillis) {
            if (delays.length > 0) {
                last = Math.max(last, delays[delays.length - 1]);
            }
        }
        return last;
    }

    /** The curve sampled at {@code timesMillis}, as a series in percent of peers. */
    public Series series(String name, double[] timesMillis) {
        List<Point> points = new ArrayList<>(timesMillis.length);
        for (double time : timesMillis) {
            points.add(new Point(time, 100 * fractionAt(time)));
        }
        return new Series(name, points);
    }

    /** How many of the sorted delays are at most {@code millis}. */
    private static int holdersBy(double[] sorted, double millis) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= millis) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
