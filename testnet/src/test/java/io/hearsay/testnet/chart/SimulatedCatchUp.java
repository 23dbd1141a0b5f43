package io.hearsay.testnet.chart;

import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.testnet.sim.BlockSimulation;
import io.hearsay.testnet.sim.LinkModel;
import java.nio.file.Path;

/**
 * A catch-up in the simulator, recorded for a {@link HeightChart}: six peers on LAN links with the {@code lan()}
 * preset, a block every 250 virtual ms; peer 4 crashes at 1 s and restarts at 3.5 s, then repairs from its
 * neighbours. Heights are sampled every 25 virtual ms. {@code main} writes the chart docs/images/catch-up.svg.
 */
final class SimulatedCatchUp {
    static final int PEERS = 6;
    static final int CRASHED_PEER = 4;
    static final long CRASH_AT_MILLIS = 1_000;
    static final long RESTART_AT_MILLIS = 3_500;
    static final long BLOCK_INTERVAL_MILLIS = 250;
    static final int BLOCKS = 20;
    static final long SAMPLE_MILLIS = 25;
    static final long END_MILLIS = 6_000;

    private SimulatedCatchUp() {}

    static HeightRecorder run(long seed) {
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(PEERS, 3, BlockGossipConfig.lan(),
                LinkModel.lan(), 1_024, BLOCKS, BLOCK_INTERVAL_MILLIS, seed));
        HeightRecorder recorder = new HeightRecorder();
        simulation.start();
        int cut = 0;
        for (long now = 0; now <= END_MILLIS; now += SAMPLE_MILLIS) {
            if (now == CRASH_AT_MILLIS) {
                simulation.crash(CRASHED_PEER);
            }
            if (now == RESTART_AT_MILLIS) {
                simulation.restart(CRASHED_PEER);
            }
            if (now > 0 && now % BLOCK_INTERVAL_MILLIS == 0 && cut < BLOCKS) {
                simulation.cutBlock();
                cut++;
            }
            for (int peer = 0; peer < PEERS; peer++) {
                recorder.record(name(peer), now, simulation.height(peer));
            }
            simulation.advance(SAMPLE_MILLIS);
        }
        return recorder;
    }

    static String name(int peer) {
        return "peer" + peer + (peer == CRASHED_PEER ? " (down 1 s to 3.5 s)" : peer == 0 ? " (leader)" : "");
    }

    static LineChart chart(long seed) {
        return run(seed).chart("Catch-up after a crash: 6 peers, lan() preset, a block every 250 ms (simulated)", END_MILLIS);
    }

    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "docs/images/catch-up.svg");
        chart(1).writeSvg(file);
        System.out.println("chart: " + file.toAbsolutePath().normalize());
    }
}
