package io.hearsay.testnet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time used so far by the whole machine and by this process, from Linux's {@code /proc/stat} and
 * {@code /proc/self/stat} (both in clock ticks). Two samples tell how many cores' worth of CPU other
 * processes, or the hypervisor (steal time), took during a measurement: a benchmark on a shared machine is
 * only meaningful next to that figure.
 *
 * @param machineBusyTicks user + nice + system + irq + softirq + steal over all CPUs
 * @param machineTotalTicks busy + idle + iowait over all CPUs
 * @param processTicks user + system time of every thread of this process
 */
record CpuSample(long machineBusyTicks, long machineTotalTicks, long processTicks) {
    private static final Path MACHINE = Path.of("/proc/stat");
    private static final Path PROCESS = Path.of("/proc/self/stat");

    /** Empty where {@code /proc} is not available or not in the expected format. */
    static Optional<CpuSample> now() {
        try {
            String cpu = Files.readAllLines(MACHINE).get(0);
            String[] machine = cpu.trim().split("\\s+");
            if (!machine[0].equals("cpu") || machine.length < 9) {
                return Optional.empty();
            }
            long user = Long.parseLong(machine[1]);
            long nice = Long.parseLong(machine[2]);
            long system = Long.parseLong(machine[3]);
            long idle = Long.parseLong(machine[4]);
            long iowait = Long.parseLong(machine[5]);
            long irq = Long.parseLong(machine[6]);
            long softirq = Long.parseLong(machine[7]);
            long steal = Long.parseLong(machine[8]);
            long busy = user + nice + system + irq + softirq + steal;
            String stat = Files.readString(PROCESS);
            // The command name, in parentheses, may contain spaces: fields are counted after its closing one.
            String[] process = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long processTicks = Long.parseLong(process[11]) + Long.parseLong(process[12]); // utime, stime
            return Optional.of(new CpuSample(busy, busy + idle + iowait, processTicks));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Cores' worth of CPU that others used from this sample to {@code later}, out of {@code cores}. */
    double otherCoresUntil(CpuSample later, int cores) {
        long total = later.machineTotalTicks - machineTotalTicks;
        if (total <= 0) {
            return 0; // shorter than one clock tick: nothing measurable happened
        }
        long others = (later.machineBusyTicks - machineBusyTicks) - (later.processTicks - processTicks);
        return Math.max(0, (double) others / total * cores);
    }

    /** Others' CPU between two optional samples; NaN if either is missing. */
    static double otherCores(Optional<CpuSample> before, Optional<CpuSample> after, int cores) {
        return before.isPresent() && after.isPresent() ? before.get().otherCoresUntil(after.get(), cores) : Double.NaN;
    }
}
