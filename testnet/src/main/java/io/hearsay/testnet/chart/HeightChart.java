package io.hearsay.testnet.chart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each peer's ledger height over time, one step line per peer: the picture of a catch-up, where a peer
 * that was down sits flat while the others climb, then rises to meet them once it is back.
 */
public final class HeightChart {
    private HeightChart() {}

    /**
     * A chart of {@code samplesByPeer} (peer name → its samples, in any order). Peers appear in the legend
     * in name order, whatever the map's order, so the same samples always draw the same picture.
     */
    public static LineChart of(String title, Map<String, List<HeightSample>> samplesByPeer) {
        if (samplesByPeer.isEmpty()) {
            throw new IllegalArgumentException("a height chart needs at least one peer's samples");
        }
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, List<HeightSample>> peer : new TreeMap<>(samplesByPeer).entrySet()) {
            List<Point> points = peer.getValue().stream()
                    .sorted(Comparator.comparingLong(HeightSample::timeMillis))
                    .map(sample -> new Point(sample.timeMillis(), sample.height()))
                    .toList();
            series.add(new Series(peer.getKey(), points));
        }
        return new LineChart(title, Axis.linear("time", "ms"), Axis.linear("ledger height", "blocks"), series, true);
    }
}
