package io.hearsay.testnet.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.testnet.cli.HearsayCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hearsay simulate --modes ... --chart FILE.svg} runs each mode, prints each one's table, and writes one
 * chart with a line per mode, the same bytes for the same seed; modes it cannot chart are usage errors.
 */
class SimulateChartCommandTest {
    private record Run(int exitCode, String out, String err) {}

    private static Run simulate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = HearsayCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 1];
        full[0] = "simulate";
        System.arraycopy(args, 0, full, 1, args.length);
        return new Run(commandLine.execute(full), out.toString(), err.toString());
    }

    @Test
    void writesOneSeriesPerModeAndTheSameBytesForTheSameSeed(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.svg");
        Path second = dir.resolve("again/second.svg");
        String[] common = {"--modes", "fabric,hearsay", "--peers", "80", "--blocks", "3", "--degree", "6", "--seed", "5"};

        Run run = simulate(concat(common, "--chart", first.toString()));
        Run again = simulate(concat(common, "--chart", second.toString()));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Hearsay simulation: fabric", "Hearsay simulation: hearsay", "chart: " + first);
        SvgFile svg = SvgFile.parse(Files.readString(first));
        assertThat(svg.seriesPaths()).hasSize(2);
        assertThat(svg.legendNames()).containsExactly("fabric: fabric() preset", "hearsay: lan() preset");
        assertThat(svg.tickLabels("y-axis")).contains("0", "100");
        assertThat(again.exitCode()).isZero();
        assertThat(Files.readString(second)).isEqualTo(Files.readString(first));
    }

    @Test
    void withJsonStdoutHoldsOneObjectPerModeAndNothingElse(@TempDir Path dir) {
        Run run = simulate("--modes", "hearsay", "--peers", "40", "--blocks", "2", "--json", "--chart",
                dir.resolve("c.svg").toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().strip().lines()).singleElement().satisfies(line -> assertThat(line).startsWith("{"));
        assertThat(run.err()).contains("chart: ");
        assertThat(dir.resolve("c.svg")).exists();
    }

    @Test
    void itemModesSwimAndRepeatsAreUsageErrorsAndWriteNothing(@TempDir Path dir) {
        Path chart = dir.resolve("never.svg");

        Run item = simulate("--modes", "push,hearsay", "--peers", "40", "--chart", chart.toString());
        Run swim = simulate("--modes", "swim,hearsay", "--peers", "40");
        Run twice = simulate("--modes", "fabric,fabric", "--peers", "40", "--chart", chart.toString());

        assertThat(item.exitCode()).isEqualTo(2);
        assertThat(item.err()).contains("'push' is an item mode");
        assertThat(swim.exitCode()).isEqualTo(2);
        assertThat(swim.err()).contains("run it alone with --mode swim");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("'fabric' is listed twice");
        assertThat(chart).doesNotExist();
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
