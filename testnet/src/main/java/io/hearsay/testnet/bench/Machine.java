package io.hearsay.testnet.bench;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a benchmark ran on, printed with its figures so that they can be compared across machines.
 *
 * @param ramBytes physical memory, -1 if unknown
 * @param fileSystem the device and type of the file system holding the RocksDB directories
 */
record Machine(int cores, long maxHeapBytes, long ramBytes, String java, String os, String fileSystem, Instant date) {

    static Machine describe(Path workDirectory) {
        Runtime runtime = Runtime.getRuntime();
        return new Machine(runtime.availableProcessors(), runtime.maxMemory(),
                ProcFiles.totalMemoryBytes().orElse(-1),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                fileSystem(workDirectory), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private static String fileSystem(Path directory) {
        try {
            FileStore store = Files.getFileStore(directory);
            return store.name() + " (" + store.type() + ")";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
