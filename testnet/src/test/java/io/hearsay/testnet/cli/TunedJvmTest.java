package io.hearsay.testnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.VMOption;
import com.sun.management.VMOption.Origin;
import io.hearsay.testnet.launch.ProcessLauncher.JavaCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator commands start themselves once more with the parallel collector and huge pages when the user set
 * neither, the ledger benchmark with huge pages and a heap that is kept ({@link TunedJvm}): which flags are added for
 * which JVM options, which commands qualify, and, in real processes, that the child runs with the flags and hands back
 * its output and exit code, and that the opt-out works.
 */
class TunedJvmTest {
    private static final String[] SMALL_BENCH = {"bench", "simulator", "--mode", "push", "--peers", "50", "--repeat",
        "1", "--json"};

    /** A HotSpot JVM's options as started with no flags: G1 picked by ergonomics, 4 KiB pages. */
    private static Map<String, VMOption> defaults() {
        Map<String, VMOption> options = new HashMap<>();
        for (String gc : List.of("UseSerialGC", "UseParallelGC", "UseZGC", "UseShenandoahGC", "UseEpsilonGC")) {
            options.put(gc, new VMOption(gc, "false", false, Origin.DEFAULT));
        }
        options.put("UseG1GC", new VMOption("UseG1GC", "true", false, Origin.ERGONOMIC));
        options.put("UseTransparentHugePages", new VMOption("UseTransparentHugePages", "false", false, Origin.DEFAULT));
        options.put("UseLargePages", new VMOption("UseLargePages", "false", false, Origin.DEFAULT));
        options.put("MaxHeapFreeRatio", new VMOption("MaxHeapFreeRatio", "70", true, Origin.DEFAULT));
        return options;
    }

    private static List<String> missing(Map<String, VMOption> options, boolean hugePagesOffered) {
        return missing(options, hugePagesOffered, TunedJvm.Profile.SIMULATOR);
    }

    private static List<String> missing(Map<String, VMOption> options, boolean hugePagesOffered, TunedJvm.Profile profile) {
        return TunedJvm.missingFlags(name -> Optional.ofNullable(options.get(name)), hugePagesOffered, profile);
    }

    @Test
    void theLedgerBenchKeepsG1AndGetsHugePagesAndAHeapThatIsKept() {
        assertThat(missing(defaults(), true, TunedJvm.Profile.LEDGER))
                .containsExactly(TunedJvm.TRANSPARENT_HUGE_PAGES, TunedJvm.HEAP_KEPT);
        Map<String, VMOption> ratioChosen = defaults();
        ratioChosen.put("MaxHeapFreeRatio", new VMOption("MaxHeapFreeRatio", "40", true, Origin.VM_CREATION));
        assertThat(missing(ratioChosen, false, TunedJvm.Profile.LEDGER)).isEmpty();
    }

    @Test
    void bothFlagsAreAddedToAJvmStartedWithout() {
        assertThat(missing(defaults(), true))
                .containsExactly(TunedJvm.PARALLEL_GC, TunedJvm.TRANSPARENT_HUGE_PAGES);
    }

    @Test
    void aChoiceTheUserMadeIsKeptAndOnlyTheOtherFlagAdded() {
        Map<String, VMOption> g1 = defaults();
        g1.put("UseG1GC", new VMOption("UseG1GC", "true", false, Origin.VM_CREATION));
        assertThat(missing(g1, true)).containsExactly(TunedJvm.TRANSPARENT_HUGE_PAGES);

        Map<String, VMOption> fromEnvironment = defaults();
        fromEnvironment.put("UseSerialGC", new VMOption("UseSerialGC", "true", false, Origin.ENVIRON_VAR));
        assertThat(missing(fromEnvironment, true)).containsExactly(TunedJvm.TRANSPARENT_HUGE_PAGES);

        Map<String, VMOption> noHugePages = defaults();
        noHugePages.put("UseTransparentHugePages",
                new VMOption("UseTransparentHugePages", "false", false, Origin.VM_CREATION));
        assertThat(missing(noHugePages, true)).containsExactly(TunedJvm.PARALLEL_GC);

        Map<String, VMOption> largePages = defaults();
        largePages.put("UseLargePages", new VMOption("UseLargePages", "true", false, Origin.VM_CREATION));
        assertThat(missing(largePages, true)).containsExactly(TunedJvm.PARALLEL_GC);

        Map<String, VMOption> both = defaults();
        both.put("UseParallelGC", new VMOption("UseParallelGC", "true", false, Origin.VM_CREATION));
        both.put("UseTransparentHugePages", new VMOption("UseTransparentHugePages", "true", false, Origin.VM_CREATION));
        assertThat(missing(both, true)).isEmpty();
    }

    @Test
    void hugePagesAreAskedForOnlyWhereTheKernelAndTheVmOfferThem() {
        assertThat(missing(defaults(), false)).containsExactly(TunedJvm.PARALLEL_GC);
        Map<String, VMOption> notLinux = defaults();
        notLinux.remove("UseTransparentHugePages");
        assertThat(missing(notLinux, true)).containsExactly(TunedJvm.PARALLEL_GC);
        assertThat(missing(Map.of(), true)).as("not HotSpot").isEmpty();
    }

    @Test
    void onlyParsedCommandsWithAProfileThatDoNotAskForHelpQualify() {
        assertThat(TunedJvm.profileOf(new String[] {"simulate", "--peers", "10"})).contains(TunedJvm.Profile.SIMULATOR);
        assertThat(TunedJvm.profileOf(new String[] {"bench", "simulator"})).contains(TunedJvm.Profile.SIMULATOR);
        assertThat(TunedJvm.profileOf(new String[] {"simulate", "--verbose", "--mode", "pull"}))
                .contains(TunedJvm.Profile.SIMULATOR);

        assertThat(TunedJvm.profileOf(new String[] {"simulate", "--help"})).isEmpty();
        assertThat(TunedJvm.profileOf(new String[] {"bench", "simulator", "-V"})).isEmpty();
        assertThat(TunedJvm.profileOf(new String[] {"simulate", "--peers", "many"})).isEmpty();
        assertThat(TunedJvm.profileOf(new String[] {"bench", "ledger"})).contains(TunedJvm.Profile.LEDGER);
        assertThat(TunedJvm.profileOf(new String[] {"bench", "wire"})).isEmpty();
        assertThat(TunedJvm.profileOf(new String[] {"bench"})).isEmpty();
        assertThat(TunedJvm.profileOf(new String[] {})).isEmpty();
    }

    @Test
    void theOptOutAndAttachedToolsAreRecognised() {
        assertThat(List.of("0", "false", "No", " off ")).allMatch(TunedJvm::optedOut);
        assertThat(TunedJvm.optedOut(null)).isFalse();
        assertThat(TunedJvm.optedOut("1")).isFalse();
        assertThat(List.of("-XX:StartFlightRecording=filename=x.jfr", "-agentlib:jdwp=transport=dt_socket",
                "-javaagent:agent.jar", "-agentpath:/lib/async.so")).allMatch(TunedJvm::isAttachedTool);
        assertThat(List.of("-Xmx8g", "-XX:+UseG1GC", "-Dx=y")).noneMatch(TunedJvm::isAttachedTool);
    }

    @Test
    void aJvmStartedWithoutFlagsSimulatesInAChildWithThem(@TempDir Path directory) throws Exception {
        Finished run = hearsay(directory, List.of(), Map.of(), SMALL_BENCH);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("\"garbage_collector\":\"Parallel\"");
        assertThat(run.err()).as("the child's progress reaches stderr").contains("repetition 1:");
    }

    @Test
    void theOptOutAndAUserChosenCollectorAreRespected(@TempDir Path directory) throws Exception {
        Finished optedOut = hearsay(directory, List.of(), Map.of(TunedJvm.OPT_OUT_VARIABLE, "0"), SMALL_BENCH);
        assertThat(optedOut.exitCode()).as(optedOut.toString()).isZero();
        assertThat(optedOut.out()).as(optedOut.toString()).doesNotContain("\"garbage_collector\":\"Parallel\"");

        Finished serial = hearsay(directory, List.of("-XX:+UseSerialGC"), Map.of(), SMALL_BENCH);
        assertThat(serial.exitCode()).as(serial.toString()).isZero();
        assertThat(serial.out()).as(serial.toString()).contains("\"garbage_collector\":\"Serial\"");
    }

    @Test
    void theChildsExitCodeAndErrorsAreHandedBackWithoutStackTraces(@TempDir Path directory) throws Exception {
        Finished usage = hearsay(directory, List.of(), Map.of(), "simulate", "--peers", "1");
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(2);
        assertThat(usage.err()).as(usage.toString()).contains("--peers").doesNotContain("\tat ");

        Path notADirectory = Files.writeString(directory.resolve("file"), "x");
        Finished failure = hearsay(directory, List.of(), Map.of(), "simulate", "--mode", "hearsay", "--peers", "20",
                "--blocks", "1", "--chart", notADirectory.resolve("chart.svg").toString());
        assertThat(failure.exitCode()).as(failure.toString()).isEqualTo(FailureReporter.FAILURE_EXIT_CODE);
        assertThat(failure.err()).as(failure.toString()).startsWith("error: ").doesNotContain("\tat ");
    }

    private record Finished(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** {@code hearsay args} in a new JVM started as a user would, with these JVM options and environment. */
    private static Finished hearsay(Path directory, List<String> jvmOptions, Map<String, String> environment,
            String... args) throws Exception {
        JavaCommand java = JavaCommand.current().withJvmOptions(jvmOptions);
        Path out = Files.createTempFile(directory, "out", ".txt");
        Path err = Files.createTempFile(directory, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(java.arguments(List.of(args)))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove(TunedJvm.OPT_OUT_VARIABLE);
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("hearsay %s finished", List.of(args)).isTrue();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        return new Finished(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
