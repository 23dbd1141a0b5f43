package io.hearsay.testnet.chart;

import io.hearsay.testnet.sim.BlockSimulation;
import io.hearsay.testnet.sim.SimulationRunner;

/**
 * Collects a block mode's {@link CoverageCurve} while {@link SimulationRunner} runs it: after each run it reads
 * when every peer committed every block of the scenario, from the run's virtual clock.
 */
public final class CoverageRecorder implements SimulationRunner.RunObserver {
    private final CoverageCurve curve = new CoverageCurve();
    private final int peers;
    private final int blocks;

    public CoverageRecorder(SimulationRunner.Options options) {
        if (!options.mode().isBlockMode()) {
            throw new IllegalArgumentException("coverage over time is recorded for block modes (fabric, hearsay), not "
                    + options.mode().cliName);
        }
        this.peers = options.peers();
        this.blocks = options.blocks();
    }

    @Override
    public void afterRun(int run, long setupNanos, long runNanos, long events) {
        // Wall-clock figures only; the coverage comes from the simulation in afterBlockRun.
    }

    @Override
    public void afterBlockRun(int run, BlockSimulation simulation) {
        for (int block = 1; block <= blocks; block++) {
            curve.addBlock(simulation.commitDelaysMillis(block), peers);
        }
    }

    public CoverageCurve curve() {
        return curve;
    }
}
