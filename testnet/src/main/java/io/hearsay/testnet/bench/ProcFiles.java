package io.hearsay.testnet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads "Name: value kB" lines of Linux's {@code /proc} files: the process's resident memory and the
 * machine's RAM. Empty where there is no {@code /proc} (the figures are then reported as unavailable).
 */
final class ProcFiles {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private ProcFiles() {}

    /** Resident set size of this process (VmRSS), in bytes. */
    static OptionalLong residentBytes() {
        return kibibyteField(STATUS, "VmRSS:");
    }

    /** Physical memory of the machine (MemTotal), in bytes. */
    static OptionalLong totalMemoryBytes() {
        return kibibyteField(MEMINFO, "MemTotal:");
    }

    private static OptionalLong kibibyteField(Path file, String field) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException | SecurityException e) {
            return OptionalLong.empty();
        }
        for (String line : lines) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
