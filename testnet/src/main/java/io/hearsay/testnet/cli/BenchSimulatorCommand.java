package io.hearsay.testnet.cli;

import io.hearsay.testnet.bench.Json;
import io.hearsay.testnet.sim.SimulationRunner;
import io.hearsay.testnet.sim.SimulationRunner.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hearsay bench simulator}: the simulator's own speed and footprint. Runs one {@code simulate}
 * configuration {@code --repeat} times in this JVM and reports, per repetition and as medians, the setup time
 * (peers, graph, network) apart from the run time (the event loop), events per second of the run alone, and
 * the heap a live simulation holds after a full GC, as peers per GiB; plus the process's resident set. The
 * first repetition includes JIT warm-up; the median over three or more is the figure to quote. On a shared
 * machine each repetition also records the CPU other processes took meanwhile; medians are over the quiet
 * repetitions (others at most {@value #QUIET_OTHERS_CORES_MAX} core) if there are any. Events per CPU second
 * of the simulating thread (GC threads not counted) is steadier than wall time when the machine is busy. The
 * trace hash is printed so a speed-up can be shown not to have changed the run, and the collector and page size
 * the figures were taken with ({@link TunedJvm}).
 */
@Command(name = "simulator",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Measure the simulator: setup and run wall time, events per second of the run alone, heap per peer"
                    + " of a live simulation after GC (peers per GiB) and resident memory.",
            "Takes the options of 'simulate'; repeats the same seeded run --repeat times and reports medians.",
            "Progress goes to stderr; the results (a table, or one JSON object with --json) to stdout."
        })
final class BenchSimulatorCommand implements Callable<Integer> {
    private static final double GIB = 1024.0 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--peers", paramLabel = "N", defaultValue = "10000",
            description = "Simulated peers, 2 to " + SimulateCommand.PEERS_MAX + ". Default: ${DEFAULT-VALUE}.")
    int peers;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hearsay",
            description = "As for simulate. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--fanout", paramLabel = "F", defaultValue = "0", description = "As for simulate.")
    int fanout;

    @Option(names = "--k", paramLabel = "K", defaultValue = "1", description = "As for simulate.")
    int k;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0", description = "As for simulate.")
    double loss;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "As for simulate.")
    long seed;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "1", description = "As for simulate.")
    int runs;

    @Option(names = "--blocks", paramLabel = "B", defaultValue = "10", description = "As for simulate.")
    int blocks;

    @Option(names = "--block-bytes", paramLabel = "BYTES", defaultValue = "1024", description = "As for simulate.")
    int blockBytes;

    @Option(names = "--degree", paramLabel = "D", defaultValue = "8", description = "As for simulate.")
    int degree;

    @Option(names = "--block-interval-ms", paramLabel = "MS", defaultValue = "1000", description = "As for simulate.")
    long blockIntervalMillis;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3",
            description = "Repetitions of the whole simulation in this JVM, 1 to 100; medians are reported."
                    + " Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    /** A repetition is quiet if other processes (and hypervisor steal) took at most this many cores meanwhile. */
    private static final double QUIET_OTHERS_CORES_MAX = 0.1;

    /** One repetition's figures; {@code othersCores}: CPU other processes took during it, in cores (-1: unknown). */
    private record Repetition(double setupSeconds, double runSeconds, double runCpuSeconds, long events, long heapBytes,
            long traceHash, double othersCores) {
        boolean quiet() {
            return othersCores >= 0 && othersCores <= QUIET_OTHERS_CORES_MAX;
        }

        double runEventsPerSecond() {
            return events / runSeconds;
        }

        double runEventsPerCpuSecond() {
            return events / runCpuSeconds;
        }
    }

    @Override
    public Integer call() {
        OptionRanges.check(spec, "--repeat", repeat, 1, 100);
        SimulationRunner.Options options = SimulateCommand.options(spec, peers, mode, fanout, k, loss, seed, runs, blocks,
                blockBytes, degree, blockIntervalMillis);
        PrintWriter err = spec.commandLine().getErr();
        List<Repetition> repetitions = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            long[] heapMax = {0};
            CpuShare share = CpuShare.start();
            // Measured after the last run of each repetition while its simulation is live: the GC it forces
            // falls outside the timed setup and run.
            Summary summary = SimulationRunner.run(options, (run, setupNanos, runNanos, events) -> {
                if (run == runs - 1) {
                    heapMax[0] = Math.max(heapMax[0], heapUsedAfterGc());
                }
            });
            double others = share.othersCores();
            Repetition repetition = new Repetition(summary.setupSeconds(), summary.runSeconds(), summary.runCpuSeconds(),
                    summary.events(), heapMax[0], summary.traceHash(), others);
            repetitions.add(repetition);
            err.printf(Locale.ROOT, "repetition %d: setup %.3f s, run %.3f s, %,d events, %,.0f events/s (run), heap %.3f GiB,"
                    + " others %.2f cores, trace %s%n", i + 1, repetition.setupSeconds(), repetition.runSeconds(),
                    repetition.events(), repetition.runEventsPerSecond(), repetition.heapBytes() / GIB, others,
                    Long.toHexString(repetition.traceHash()));
            err.flush();
        }
        long[] rss = residentKiB();
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? json(options, repetitions, rss) : table(options, repetitions, rss));
        out.flush();
        return 0;
    }

    /**
     * CPU that other processes and the hypervisor took while a repetition ran, from {@code /proc/stat} (all busy
     * time) less {@code /proc/self/stat} (this JVM's). On a shared machine one busy neighbour can halve a
     * figure; this says whether it did.
     */
    private record CpuShare(long busy, long total, long self) {
        static CpuShare start() {
            return read();
        }

        double othersCores() {
            CpuShare end = read();
            if (busy < 0 || end.busy < 0 || end.total <= total) {
                return -1;
            }
            int cores = Runtime.getRuntime().availableProcessors();
            double elapsedPerCore = (double) (end.total - total) / cores;
            return Math.max(0, (end.busy - busy) - (end.self - self)) / elapsedPerCore;
        }

        private static CpuShare read() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                    total += Long.parseLong(cpu[i]);
                }
                long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long self = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                return new CpuShare(total - idle, total, self);
            } catch (IOException | RuntimeException e) {
                return new CpuShare(-1, -1, -1);
            }
        }
    }

    private static long heapUsedAfterGc() {
        // Two collections: the first may only promote; the second sees what is really live.
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS and VmHWM (peak) of this process in KiB from /proc/self/status; -1 where unavailable. */
    private static long[] residentKiB() {
        long[] rss = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss[0] = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("VmHWM:")) {
                    rss[1] = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: report no RSS rather than fail the benchmark.
        }
        return rss;
    }

    private static double median(List<Repetition> repetitions, java.util.function.ToDoubleFunction<Repetition> figure) {
        double[] values = repetitions.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** The repetitions the medians are taken over: the quiet ones, or all if none was quiet. */
    private static List<Repetition> measured(List<Repetition> repetitions) {
        List<Repetition> quiet = repetitions.stream().filter(Repetition::quiet).toList();
        return quiet.isEmpty() ? repetitions : quiet;
    }

    private static String json(SimulationRunner.Options o, List<Repetition> repetitions, long[] rss) {
        Repetition last = repetitions.get(repetitions.size() - 1);
        List<Repetition> measured = measured(repetitions);
        double heap = median(measured, Repetition::heapBytes);
        return new Json()
                .field("peers", o.peers())
                .field("mode", o.mode().cliName)
                .field("runs", o.runs())
                .field("repeat", repetitions.size())
                .field("quiet_repetitions", repetitions.stream().filter(Repetition::quiet).count())
                .field("others_cores_all", repetitions.stream()
                        .map(r -> String.format(Locale.ROOT, "%.2f", r.othersCores())).collect(Collectors.joining(" ")))
                .field("events", last.events())
                .field("setup_seconds_median", median(measured, Repetition::setupSeconds))
                .field("run_seconds_median", median(measured, Repetition::runSeconds))
                .field("run_events_per_second_median", median(measured, Repetition::runEventsPerSecond))
                .field("run_events_per_second_all", repetitions.stream()
                        .map(r -> String.format(Locale.ROOT, "%.0f", r.runEventsPerSecond())).collect(Collectors.joining(" ")))
                .field("run_cpu_seconds_median", median(measured, Repetition::runCpuSeconds))
                .field("run_events_per_cpu_second_median", median(measured, Repetition::runEventsPerCpuSecond))
                .field("heap_bytes_after_gc_median", heap)
                .field("peers_per_gib_heap", heap > 0 ? o.peers() / (heap / GIB) : Double.NaN)
                .field("rss_kib", rss[0])
                .field("rss_peak_kib", rss[1])
                .field("peers_per_gib_rss_peak", rss[1] > 0 ? o.peers() / (rss[1] * 1024.0 / GIB) : Double.NaN)
                .field("trace_hash", Long.toHexString(last.traceHash()))
                .field("trace_hash_stable", repetitions.stream().allMatch(r -> r.traceHash() == last.traceHash()))
                .field("garbage_collector", TunedJvm.collector())
                .field("transparent_huge_pages", TunedJvm.transparentHugePages())
                .toString();
    }

    private static String table(SimulationRunner.Options o, List<Repetition> repetitions, long[] rss) {
        Repetition last = repetitions.get(repetitions.size() - 1);
        List<Repetition> measured = measured(repetitions);
        double heap = median(measured, Repetition::heapBytes);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Hearsay simulator benchmark: %s, %,d peers, %d run(s), %d repetition(s),"
                + " %d quiet%n", o.mode().cliName, o.peers(), o.runs(), repetitions.size(),
                repetitions.stream().filter(Repetition::quiet).count()));
        text.append(String.format(Locale.ROOT, "  %-36s %,14d%n", "events per repetition", last.events()));
        text.append(String.format(Locale.ROOT, "  %-36s %14.3f s%n", "setup (median)", median(measured, Repetition::setupSeconds)));
        text.append(String.format(Locale.ROOT, "  %-36s %14.3f s%n", "run (median)", median(measured, Repetition::runSeconds)));
        text.append(String.format(Locale.ROOT, "  %-36s %,14.0f%n", "events/s of the run (median)",
                median(measured, Repetition::runEventsPerSecond)));
        text.append(String.format(Locale.ROOT, "  %-36s %,14.0f%n", "events per CPU second (median)",
                median(measured, Repetition::runEventsPerCpuSecond)));
        text.append(String.format(Locale.ROOT, "  %-36s %14.3f GiB (%,.0f peers per GiB)%n", "heap of a live run after GC",
                heap / GIB, o.peers() / (heap / GIB)));
        text.append(String.format(Locale.ROOT, "  %-36s %14.3f GiB now, %.3f GiB peak%n", "resident set",
                rss[0] / (1024.0 * 1024), rss[1] / (1024.0 * 1024)));
        text.append(String.format(Locale.ROOT, "  %-36s %14s%s%n", "trace hash", Long.toHexString(last.traceHash()),
                repetitions.stream().allMatch(r -> r.traceHash() == last.traceHash()) ? "" : " (differs between repetitions!)"));
        text.append(String.format(Locale.ROOT, "  %-36s %14s%s%n", "JVM", TunedJvm.collector() + " GC",
                TunedJvm.transparentHugePages() ? ", transparent huge pages" : ", 4 KiB pages"));
        return text.toString();
    }
}
