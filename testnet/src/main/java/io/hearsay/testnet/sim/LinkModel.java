package io.hearsay.testnet.sim;

/**
 * How simulated links behave. Latency per message is uniform in [latencyMinMicros, latencyMaxMicros];
 * each sender's uplink serialises its messages at {@code bandwidthBytesPerSecond} (so a 1 MiB block is
 * not free); each message is lost with probability {@code lossProbability}.
 */
public record LinkModel(long latencyMinMicros, long latencyMaxMicros, long bandwidthBytesPerSecond, double lossProbability) {
    public LinkModel {
        if (latencyMinMicros < 1 || latencyMaxMicros < latencyMinMicros) {
            throw new IllegalArgumentException("latency must satisfy 1 µs <= min <= max, got " + latencyMinMicros
                    + ".." + latencyMaxMicros);
        }
        if (bandwidthBytesPerSecond < 1) {
            throw new IllegalArgumentException("bandwidthBytesPerSecond must be positive, got " + bandwidthBytesPerSecond);
        }
        if (lossProbability < 0 || lossProbability >= 1) {
            throw new IllegalArgumentException("lossProbability must be in [0, 1), got " + lossProbability);
        }
    }

    /** A data-centre LAN: 0.5–2 ms one way, 1 Gb/s per peer. */
    public static LinkModel lan() {
        return new LinkModel(500, 2_000, 125_000_000L, 0);
    }

    /** A WAN: 20–80 ms one way, 100 Mb/s per peer. */
    public static LinkModel wan() {
        return new LinkModel(20_000, 80_000, 12_500_000L, 0);
    }

    public LinkModel withLoss(double probability) {
        return new LinkModel(latencyMinMicros, latencyMaxMicros, bandwidthBytesPerSecond, probability);
    }
}
