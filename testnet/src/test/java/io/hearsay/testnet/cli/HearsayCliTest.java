package io.hearsay.testnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command line's contract, run in-process through picocli: help and version on every command, usage
 * errors as exit 2 with the usage message, ranges reported by option name, and any other failure as one
 * {@code error:} line with exit 1 and no stack trace unless {@code --verbose}.
 */
class HearsayCliTest {

    @ParameterizedTest
    @CsvSource({"''", "demo", "bench", "bench ledger"})
    void everyCommandHasHelpAndVersion(String command) {
        String prefix = command.isEmpty() ? "" : command + " ";
        CliRun help = CliRun.of((prefix + "--help").split(" "));
        CliRun version = CliRun.of((prefix + "--version").split(" "));

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).contains("Usage: hearsay").contains("--help").contains("--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("hearsay ");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing a command").contains("demo").contains("bench").contains("Usage:");
    }

    @Test
    void benchWithoutABenchmarkIsAUsageError() {
        CliRun run = CliRun.of("bench");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing a benchmark").contains("ledger").contains("Usage: hearsay bench");
    }

    @ParameterizedTest
    @CsvSource({"demo --bogus", "bench ledger --bogus", "--bogus"})
    void unknownOptionExitsTwoWithUsage(String arguments) {
        CliRun run = CliRun.of(arguments.split(" "));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--bogus'").contains("Usage:");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "demo --blocks 0, --blocks, 1 and 10000",
        "demo --blocks -5, --blocks, 1 and 10000",
        "demo --transfers-per-block 0, --transfers-per-block, 1 and 1000",
        "bench ledger --blocks 0, --blocks, 1 and 100000",
        "bench ledger --txs-per-block -5, --txs-per-block, 1 and 10000",
        "bench ledger --ledgers 1001, --ledgers, 1 and 1000",
        "bench ledger --repeat 0, --repeat, 1 and 20"
    })
    void outOfRangeValueIsNamedWithItsRange(String arguments, String option, String range) {
        CliRun run = CliRun.of(arguments.split(" "));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '" + option + "'")
                .contains("must be between " + range).contains("Usage:");
    }

    @Test
    void valueThatDoesNotParseIsAUsageError() {
        CliRun run = CliRun.of("demo", "--blocks", "many");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--blocks").contains("'many' is not an int");
    }

    @Test
    void nonEmptyDataDirectoryIsRefusedBeforeAnyWork(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("something"), "x");

        CliRun run = CliRun.of("demo", "--data-dir", directory.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--data-dir'").contains("new or empty directory");
    }

    @Test
    void failureIsOneErrorLineWithoutStackTrace(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("a-file"), "x");

        CliRun run = CliRun.of("demo", "--data-dir", file.resolve("ledger").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("error: cannot create directory ").doesNotContain("\tat ");
    }

    @Test
    void verboseAddsTheStackTrace(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("a-file"), "x");

        CliRun run = CliRun.of("demo", "--verbose", "--data-dir", file.resolve("ledger").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: cannot create directory ").contains("\tat ");
    }
}
