package io.hearsay.testnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearsay demo} end to end in-process: a RocksDB ledger in the given data directory, blocks of
 * transfers with some stale ones, a reopen from disk, and the bank invariant in the report.
 */
class DemoCommandTest {

    @Test
    void demoCommitsReopensAndKeepsTheTotalBalance(@TempDir Path directory) {
        Path dataDirectory = directory.resolve("demo");

        CliRun run = CliRun.of("demo", "--ledger", "--data-dir", dataDirectory.toString(), "--blocks", "6");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .containsPattern("(?m)^\\s+height\\s+7$")
                .containsPattern("(?m)^\\s+head hash\\s+[0-9a-f]{64}$")
                .containsPattern("(?m)^\\s+state hash\\s+[0-9a-f]{64}$")
                .contains("resumes at the same height, head hash and state hash")
                .contains("every code as the client predicted")
                .contains("total balance = initial total: 8000 = 8000 (holds)");
        assertThat(run.out()).containsPattern("VALID \\d+");
        assertThat(dataDirectory.resolve("ledger")).isDirectory();
        assertThat(dataDirectory.resolve("crypto")).isDirectory();
    }

    @Test
    void staleTransfersShowAsMvccConflicts(@TempDir Path directory) {
        CliRun run = CliRun.of("demo", "--ledger", "--data-dir", directory.resolve("demo").toString(), "--blocks", "10");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("MVCC_READ_CONFLICT \\d+").containsPattern("(?m)^\\s+height\\s+11$");
    }

    @Test
    void temporaryDataDirectoryIsDeleted() throws Exception {
        long before = countDemoDirectories();

        CliRun run = CliRun.of("demo", "--ledger", "--blocks", "1");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("(temporary, deleted at exit").containsPattern("(?m)^\\s+height\\s+2$");
        assertThat(countDemoDirectories()).isEqualTo(before);
    }

    @Test
    void theNetworkDemoKillsAPeerThatCatchesUpAndEveryLedgerAgrees(@TempDir Path directory) throws Exception {
        Path dataDirectory = directory.resolve("network");
        // The demo scenario's steps, shortened.
        Path scenario = Files.writeString(directory.resolve("short.yaml"), """
                name: short
                seed: 7
                steps:
                  - {at: 0s, load: {tps: 30}}
                  - {at: 1s, kill: peer1.org2.example.com}
                  - {at: 2s, partition: [[Org1MSP]]}
                  - {at: 4s, heal: true}
                  - {at: 4s, restart: peer1.org2.example.com}
                  - {at: 6s, load: off}
                  - {at: 6s, converge: {timeout: 30s}}
                """);

        CliRun run = CliRun.of("demo", "--data-dir", dataDirectory.toString(), "--scenario", scenario.toString(),
                "--workers", "4");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .containsPattern("kill: peer1\\.org2\\.example\\.com\\s+done")
                .containsPattern("catch-up after restart\\s+peer1\\.org2\\.example\\.com \\d+\\.\\d+ s to height \\d+")
                .contains("every step done")
                .containsPattern("transfers\\s+[1-9]\\d* valid")
                .contains("VALID txs on every ledger    yes")
                .contains("[100000, 100000, 100000, 100000] on every peer (expected 100000)")
                .contains("CONSISTENT: 4 peers agree")
                .contains("verdict: CONSISTENT");
        assertThat(dataDirectory.resolve("catch-up.svg")).isRegularFile();
        assertThat(dataDirectory.resolve("connection.json")).isRegularFile();
    }

    private static long countDemoDirectories() throws Exception {
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("hearsay-demo-")).count();
        }
    }
}
