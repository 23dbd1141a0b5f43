package io.hearsay.testnet.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.hearsay.testnet.launch.ProcessLauncher.JavaCommand;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Runs the commands that measure or simulate at scale in a JVM set up for them, by starting this program once more in
 * a child JVM with the flags of the command's {@link Profile} added.
 *
 * <ul>
 *   <li>{@link Profile#SIMULATOR} ({@code simulate}, {@code bench simulator}): {@value #PARALLEL_GC} and {@value
 *       #TRANSPARENT_HUGE_PAGES}. A simulation touches a random peer's state on every event, so it waits on memory.
 *       The parallel collector's write barrier and young collections cost less than G1's for a heap of short-lived
 *       messages and long-lived peers, and huge pages cut the TLB misses of random access to tens of MB of peers
 *       (BENCHMARKS.md, "Scale and simulator speed": about 1.3× events/s at 10,000 peers).
 *   <li>{@link Profile#LEDGER} ({@code bench ledger}): {@value #TRANSPARENT_HUGE_PAGES} and {@value #HEAP_KEPT}, G1
 *       kept as a peer runs it. Full validation allocates fast (Bouncy Castle's field arithmetic), and G1 otherwise
 *       hands heap back to the system after a collection and takes it again moments later: on a virtual machine
 *       every page taken again is a fault in the guest and on the host, which cost the check threads a fifth of their
 *       time (BENCHMARKS.md, "Ledger").
 * </ul>
 *
 * A JAR cannot carry JVM options, so the launcher adds them.
 *
 * <pre>
 *   java -jar hearsay.jar simulate …  (flags missing) ─▶ java [same JVM options] +flags -cp hearsay.jar HearsayCli simulate …
 *        waits; the child shares stdin, stdout and stderr, and its exit code is this process's
 * </pre>
 *
 * <p>The command runs in place, as before, when any of these holds: it has no profile, does not parse (the usage
 * error is reported here), or asks for help; {@value #OPT_OUT_VARIABLE}{@code =0} is in the environment (the child gets
 * it too, so it never starts another); the user set every flag the profile would add (any {@code -XX:+Use…GC}, {@code
 * UseTransparentHugePages} or {@code UseLargePages}, {@code MaxHeapFreeRatio}: each choice is respected alone and only
 * the flags still missing are added); a profiler, agent or debugger is attached ({@code -XX:StartFlightRecording},
 * {@code -agentlib}, {@code -agentpath}, {@code -javaagent}, {@code -Xrunjdwp}), which must stay with the process that
 * does the work; or the child cannot be started. Huge pages only where the kernel offers them ({@value #THP_MODE_FILE}
 * present and not {@code [never]}).
 */
final class TunedJvm {
    /** Set to 0 (or false, no, off) to run the simulator in the JVM the user started. */
    static final String OPT_OUT_VARIABLE = "HEARSAY_RELAUNCH";
    static final String PARALLEL_GC = "-XX:+UseParallelGC";
    static final String TRANSPARENT_HUGE_PAGES = "-XX:+UseTransparentHugePages";
    /** The heap is never given back: a collection that leaves it mostly free does not shrink it. */
    static final String HEAP_KEPT = "-XX:MaxHeapFreeRatio=100";
    static final String THP_MODE_FILE = "/sys/kernel/mm/transparent_hugepage/enabled";

    /** The JVM a command runs best in. */
    enum Profile {
        /** The parallel collector and huge pages. */
        SIMULATOR(true, false),
        /** Huge pages and a heap that is never given back; the default collector. */
        LEDGER(false, true);

        final boolean parallelCollector;
        final boolean heapKept;

        Profile(boolean parallelCollector, boolean heapKept) {
            this.parallelCollector = parallelCollector;
            this.heapKept = heapKept;
        }
    }

    /** The commands with a profile, by picocli's qualified name. */
    static final Map<String, Profile> PROFILES = Map.of("hearsay simulate", Profile.SIMULATOR,
            "hearsay bench simulator", Profile.SIMULATOR, "hearsay bench ledger", Profile.LEDGER);

    /** HotSpot's collector options, by the short name reported for the collector in use. */
    private static final Map<String, String> COLLECTORS = Map.of("UseSerialGC", "Serial", "UseParallelGC", "Parallel",
            "UseG1GC", "G1", "UseZGC", "Z", "UseShenandoahGC", "Shenandoah", "UseEpsilonGC", "Epsilon");
    private static final List<String> PAGE_OPTIONS = List.of("UseTransparentHugePages", "UseLargePages");
    private static final List<String> ATTACHED_TOOLS = List.of("-XX:StartFlightRecording", "-agentlib:", "-agentpath:",
            "-javaagent:", "-Xrunjdwp");

    private TunedJvm() {}

    /**
     * Runs {@code args} in a child JVM if they are a command with a profile and this JVM lacks some of its flags,
     * returning the child's exit code; empty if the command is to run in this JVM.
     */
    static OptionalInt runInChildIfUseful(String[] args) {
        Optional<Profile> profile = profileOf(args);
        if (profile.isEmpty() || optedOut(System.getenv(OPT_OUT_VARIABLE))) {
            return OptionalInt.empty();
        }
        List<String> inputArguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (inputArguments.stream().anyMatch(TunedJvm::isAttachedTool)) {
            return OptionalInt.empty();
        }
        List<String> missing = missingFlags(TunedJvm::vmOption, hugePagesOffered(), profile.get());
        if (missing.isEmpty()) {
            return OptionalInt.empty();
        }
        List<String> jvmOptions = new ArrayList<>(inputArguments);
        jvmOptions.addAll(missing);
        return runChild(JavaCommand.current().withJvmOptions(jvmOptions).arguments(List.of(args)), missing);
    }

    /** The profile of a command that parses and does not ask for help or the version; empty for any other. */
    static Optional<Profile> profileOf(String[] args) {
        ParseResult result;
        try {
            result = HearsayCli.commandLine().parseArgs(args);
        } catch (ParameterException e) {
            return Optional.empty();
        }
        ParseResult last = result;
        for (ParseResult level = result; level != null; level = level.subcommand()) {
            if (level.isUsageHelpRequested() || level.isVersionHelpRequested()) {
                return Optional.empty();
            }
            last = level;
        }
        return Optional.ofNullable(PROFILES.get(last.commandSpec().qualifiedName()));
    }

    static boolean optedOut(String variable) {
        return variable != null && Set.of("0", "false", "no", "off").contains(variable.strip().toLowerCase(Locale.ROOT));
    }

    static boolean isAttachedTool(String jvmArgument) {
        return ATTACHED_TOOLS.stream().anyMatch(jvmArgument::startsWith);
    }

    /**
     * The flags of {@code profile} to add to a JVM whose options read as {@code options} (empty: the VM has no such
     * option): the parallel collector unless the user chose one, huge pages if offered and the user chose no page
     * setting, a heap that is kept unless the user set how much may stay free.
     */
    static List<String> missingFlags(Function<String, Optional<VMOption>> options, boolean hugePagesOffered,
            Profile profile) {
        List<String> missing = new ArrayList<>();
        boolean collectorChosen = COLLECTORS.keySet().stream().anyMatch(name -> setByUser(options.apply(name)));
        if (profile.parallelCollector && !collectorChosen && options.apply("UseParallelGC").isPresent()) {
            missing.add(PARALLEL_GC);
        }
        boolean pagesChosen = PAGE_OPTIONS.stream().anyMatch(name -> setByUser(options.apply(name)));
        if (!pagesChosen && hugePagesOffered && options.apply("UseTransparentHugePages").isPresent()) {
            missing.add(TRANSPARENT_HUGE_PAGES);
        }
        if (profile.heapKept && !setByUser(options.apply("MaxHeapFreeRatio"))
                && options.apply("MaxHeapFreeRatio").isPresent()) {
            missing.add(HEAP_KEPT);
        }
        return missing;
    }

    /** The collector this JVM runs, e.g. {@code Parallel} or {@code G1}; {@code unknown} if not HotSpot. */
    static String collector() {
        return COLLECTORS.entrySet().stream()
                .filter(entry -> vmOption(entry.getKey()).map(o -> o.getValue().equals("true")).orElse(false))
                .map(Map.Entry::getValue)
                .findFirst().orElse("unknown");
    }

    /** Whether this JVM keeps its heap however much of it a collection leaves free ({@value #HEAP_KEPT}). */
    static boolean heapKept() {
        return vmOption("MaxHeapFreeRatio").map(o -> o.getValue().equals("100")).orElse(false);
    }

    /** Whether this JVM asks the kernel for transparent huge pages for its heap. */
    static boolean transparentHugePages() {
        return vmOption("UseTransparentHugePages").map(o -> o.getValue().equals("true")).orElse(false);
    }

    private static boolean setByUser(Optional<VMOption> option) {
        return option.map(o -> o.getOrigin() != VMOption.Origin.DEFAULT && o.getOrigin() != VMOption.Origin.ERGONOMIC)
                .orElse(false);
    }

    private static Optional<VMOption> vmOption(String name) {
        try {
            return Optional.of(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return Optional.empty(); // not HotSpot, or an option this platform lacks (huge pages off Linux)
        }
    }

    private static boolean hugePagesOffered() {
        try {
            return !Files.readString(Path.of(THP_MODE_FILE)).contains("[never]");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static OptionalInt runChild(List<String> command, List<String> flags) {
        Process child;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().put(OPT_OUT_VARIABLE, "0");
            child = builder.start();
        } catch (IOException | RuntimeException e) {
            System.err.println("note: running in this JVM; could not start one with " + String.join(" ", flags) + ": "
                    + FailureReporter.oneLine(e));
            return OptionalInt.empty();
        }
        // Stopped with this process (SIGTERM, SIGINT), the child must not run on alone.
        Thread stopChild = new Thread(child::destroy, "stop-tuned-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            return OptionalInt.of(child.waitFor());
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            return OptionalInt.of(FailureReporter.FAILURE_EXIT_CODE);
        }
    }
}
