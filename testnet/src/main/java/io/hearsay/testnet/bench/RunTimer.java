package io.hearsay.testnet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.Optional;

/**
 * Times one benchmark run on the thread that makes it: wall time, the CPU time of the whole process and of that
 * thread, and how much CPU other processes took meanwhile. CPU per block says what a run costs, which wall time
 * alone hides on a machine with fewer cores than busy threads: a pipelined commit cannot run faster than its
 * process's CPU per block divided by the cores, nor than its calling thread's CPU per block.
 *
 * <p>The JVM reads the process's CPU time in Linux clock ticks (10 ms), the thread's to the nanosecond: over the
 * default 200 blocks a tick is 0.05 ms per block.
 */
final class RunTimer {
    /** Reported for a CPU time the JVM cannot measure. */
    static final long UNKNOWN = -1;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Optional<CpuSample> machineBefore;
    private final long processCpuBefore;
    private final long callerCpuBefore;
    private final long started;

    private RunTimer() {
        machineBefore = CpuSample.now();
        processCpuBefore = processCpuNanos();
        callerCpuBefore = callerCpuNanos();
        started = System.nanoTime();
    }

    /** Starts timing now, on the calling thread. */
    static RunTimer start() {
        return new RunTimer();
    }

    /** Stops timing: the run committed {@code blocks} blocks of {@code transactions} transactions in all. */
    Throughput finish(int blocks, long transactions, long blockBytes, long validTransactions) {
        long nanos = System.nanoTime() - started;
        // The reverse order of the start, so the process's interval contains the thread's.
        long callerCpu = callerCpuNanos();
        long processCpu = processCpuNanos();
        return new Throughput(blocks, transactions, blockBytes, nanos, validTransactions,
                CpuSample.otherCores(machineBefore, CpuSample.now(), Runtime.getRuntime().availableProcessors()),
                elapsed(processCpuBefore, processCpu), elapsed(callerCpuBefore, callerCpu));
    }

    private static long elapsed(long before, long after) {
        return before < 0 || after < 0 ? UNKNOWN : after - before;
    }

    /** CPU time of every thread of the process, including threads that ended during the run; -1 if unknown. */
    private static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean hotSpot ? hotSpot.getProcessCpuTime() : UNKNOWN;
    }

    private static long callerCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : UNKNOWN;
    }
}
