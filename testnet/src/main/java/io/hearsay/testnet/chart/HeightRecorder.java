package io.hearsay.testnet.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects peers' heights while something runs (the demo polls its peers), for a {@link HeightChart}.
 * Keeps a sample only when a peer's height changes: a step line needs no more, and an hour of polling
 * a quiet peer stays a few samples. Safe to call from several threads.
 */
public final class HeightRecorder {
    private final Map<String, List<HeightSample>> samples = new TreeMap<>();

    /** Notes {@code peer}'s height at {@code timeMillis}; kept if it is the peer's first or a change. */
    public synchronized void record(String peer, long timeMillis, long height) {
        List<HeightSample> peerSamples = samples.computeIfAbsent(peer, name -> new ArrayList<>());
        if (peerSamples.isEmpty() || peerSamples.get(peerSamples.size() - 1).height() != height) {
            peerSamples.add(new HeightSample(timeMillis, height));
        }
    }

    /**
     * The chart so far, each peer's line extended flat to {@code endMillis} (its last height held until then),
     * so a peer that stopped changing still reaches the right edge.
     */
    public synchronized LineChart chart(String title, long endMillis) {
        Map<String, List<HeightSample>> extended = new TreeMap<>();
        samples.forEach((peer, peerSamples) -> {
            List<HeightSample> copy = new ArrayList<>(peerSamples);
            HeightSample last = copy.get(copy.size() - 1);
            if (endMillis > last.timeMillis()) {
                copy.add(new HeightSample(endMillis, last.height()));
            }
            extended.put(peer, copy);
        });
        return HeightChart.of(title, extended);
    }
}
