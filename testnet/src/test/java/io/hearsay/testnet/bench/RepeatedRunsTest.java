package io.hearsay.testnet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How repeated runs on a shared machine become one figure: the median of the quiet runs, all runs only
 * when none was quiet, and the arithmetic that says how busy other processes were.
 */
class RepeatedRunsTest {
    /** A run's rate and the cores other processes took meanwhile. */
    record Run(double rate, double otherCores) {}

    private static RepeatedRuns<Run> choose(Run... runs) {
        return RepeatedRuns.of(List.of(runs), Run::rate, Run::otherCores);
    }

    @Test
    void contendedRunsAreIgnoredWhenQuietOnesExist() {
        RepeatedRuns<Run> chosen = choose(new Run(100, 0.0), new Run(40, 1.2), new Run(90, 0.05), new Run(30, 0.9),
                new Run(95, 0.0));

        assertThat(chosen.representative()).isEqualTo(new Run(95, 0.0));
        assertThat(chosen.runs()).isEqualTo(5);
        assertThat(chosen.quietRuns()).isEqualTo(3);
    }

    @Test
    void withoutQuietRunsTheMedianOfAllIsReported() {
        RepeatedRuns<Run> chosen = choose(new Run(10, 1.0), new Run(30, 1.0), new Run(20, 1.0));

        assertThat(chosen.representative().rate()).isEqualTo(20);
        assertThat(chosen.quietRuns()).isZero();
    }

    @Test
    void unknownContentionCountsAsQuiet() {
        RepeatedRuns<Run> chosen = choose(new Run(10, Double.NaN), new Run(20, Double.NaN), new Run(30, 2.0));

        assertThat(chosen.quietRuns()).isEqualTo(2);
        assertThat(chosen.representative().rate()).isEqualTo(20);
    }

    @Test
    void otherCoresAreTheMachineBusyTimeThisProcessDidNotUse() {
        // 2 cores for 100 ticks each = 200 ticks in all; the machine was busy 120, this process 70: others 50.
        CpuSample before = new CpuSample(1_000, 5_000, 300);
        CpuSample after = new CpuSample(1_120, 5_200, 370);

        assertThat(before.otherCoresUntil(after, 2)).isEqualTo(0.5);
    }

    @Test
    void cpuSampleReadsProcOnLinux() {
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(CpuSample.now()).isPresent();
            assertThat(ProcFiles.residentBytes()).isPresent();
        }
    }
}
