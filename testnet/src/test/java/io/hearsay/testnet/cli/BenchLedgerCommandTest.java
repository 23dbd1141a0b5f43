package io.hearsay.testnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearsay bench ledger} on a tiny chain: it runs every measurement, prints one well-formed JSON object
 * with the documented fields (and only that on stdout), and cleans up its directories.
 */
class BenchLedgerCommandTest {
    @TempDir
    static Path workParent;

    static CliRun run;
    static Map<String, Object> json;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void runTinyBenchmark() {
        run = CliRun.of("bench", "ledger", "--blocks", "5", "--txs-per-block", "10", "--json",
                "--work-dir", workParent.toString());
        json = run.exitCode() == 0 ? (Map<String, Object>) JsonReader.parse(run.out()) : Map.of();
    }

    @Test
    void exitsZeroAndPrintsOnlyJsonOnStdout() {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().strip()).startsWith("{").endsWith("}");
        assertThat(run.out().strip().lines()).hasSize(1);
        assertThat(run.err()).contains("(c) commit with full validation");
    }

    @Test
    void describesMachineAndShape() {
        assertThat(json).containsKeys("benchmark", "date", "machine", "shape");
        assertThat(object("machine")).containsKeys("cores", "maxHeapMiB", "ramMiB", "java", "os", "fileSystem");
        assertThat(object("shape")).containsEntry("blocks", 5.0).containsEntry("txsPerBlock", 10.0)
                .containsEntry("readsPerTx", 2.0).containsEntry("writesPerTx", 3.0)
                .containsEntry("signaturesPerTx", 3.0).containsEntry("syncedWritePerBlock", true);
    }

    @Test
    void reportsEveryRunWithPositiveRatesAndAllTransactionsValid() {
        for (String runName : new String[] {"rawImport", "commitBlockLevel", "commitFull"}) {
            assertThat(object(runName)).containsKeys("blocksPerSecond", "txPerSecond", "mbPerSecond", "seconds", "otherCores", "runs", "quietRuns");
            assertThat((Double) object(runName).get("txPerSecond")).as(runName).isPositive();
        }
        assertThat(object("commitBlockLevel")).containsEntry("validTx", 50.0);
        assertThat(object("commitFull")).containsEntry("validTx", 50.0);
        assertThat(json).containsEntry("allValid", true);
    }

    @Test
    void reportsTheBatchedCatchUpPathBesideThePerBlockOne() {
        for (String runName : new String[] {"commitAllBlockLevel", "commitAllFull"}) {
            assertThat(object(runName)).containsKeys("blocksPerSecond", "txPerSecond", "mbPerSecond", "seconds", "otherCores",
                    "runs", "quietRuns");
            assertThat((Double) object(runName).get("txPerSecond")).as(runName).isPositive();
            assertThat(object(runName)).containsEntry("validTx", 50.0);
        }
        assertThat(object("ratios")).containsKeys("commitAllBlockLevelToRaw", "commitAllFullToBound",
                "commitAllToPerBlockBlockLevel", "commitAllToPerBlockFull");
        assertThat(object("targets")).containsEntry("judgedOn", "commitAll");
        assertThat(object("targetsPerBlock")).containsKeys("blockLevelTxPerSecond", "blockLevelToRaw", "fullToBound");
    }

    @Test
    void reportsTheCpuEachRunUsed() {
        for (String runName : new String[] {"rawImport", "commitBlockLevel", "commitAllBlockLevel", "commitFull", "commitAllFull"}) {
            double cpu = (Double) object(runName).get("cpuMsPerBlock");
            double caller = (Double) object(runName).get("callerCpuMsPerBlock");
            assertThat(caller).as(runName).isPositive();
            // The process's CPU includes the calling thread's; the JVM counts it in clock ticks of 10 ms, so over this
            // run's 5 blocks it may read up to 2 ms per block short (a tick at each end).
            assertThat(cpu).as(runName).isGreaterThanOrEqualTo(caller - 2 * 10.0 / 5);
        }
        double rawWallMillis = 1000 / (Double) object("rawImport").get("blocksPerSecond");
        double batchedCpu = (Double) object("commitAllBlockLevel").get("cpuMsPerBlock");
        double batchedCaller = (Double) object("commitAllBlockLevel").get("callerCpuMsPerBlock");
        double cores = (Double) object("machine").get("cores");
        assertThat((Double) object("ratios").get("commitAllBlockLevelToRawCpuCeiling"))
                .isCloseTo(rawWallMillis / Math.max(batchedCaller, batchedCpu / cores), within(0.01));
    }

    @Test
    void reportsBoundRatiosMemoryAndTargets() {
        assertThat((Double) json.get("verifyPerSecondOneCore")).isPositive();
        assertThat((Double) json.get("fullBoundTxPerSecond")).isPositive();
        assertThat(object("ratios")).containsKeys("blockLevelToRaw", "fullToBound");
        assertThat(object("memory")).containsEntry("ledgers", 100.0).containsKeys("rssBeforeMiB", "rssAfterMiB", "deltaMiB");
        assertThat(object("targets")).containsKeys("blockLevelTxPerSecond", "blockLevelToRaw", "fullToBound", "memoryTotal");
    }

    @Test
    void leavesNoDirectoriesBehind() throws Exception {
        try (var entries = Files.list(workParent)) {
            assertThat(entries).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String name) {
        return (Map<String, Object>) json.get(name);
    }
}
