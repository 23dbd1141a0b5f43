package io.hearsay.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The network layer (discovery main sources), beneath gossip, takes time, timers and randomness only through
 * the injected runtime: this test fails the build if a source file reads the wall clock, sleeps, starts a
 * thread or draws unseeded randomness (DESIGN.md, "a deterministic core with I/O at the edges").
 */
class DeterministicCoreRulesTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "System\\.(currentTimeMillis|nanoTime)|Instant\\.now|LocalDateTime\\.now|Thread\\.sleep|new Thread\\("
                    + "|Executors\\.|ThreadLocalRandom|Math\\.random|new Random\\(|UUID\\.randomUUID|new SecureRandom\\(");

    @Test
    void coreSourcesUseOnlyInjectedTimeThreadsAndRandomness() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> violations = new ArrayList<>();
        for (String module : List.of("discovery")) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).as("sources of " + module).isDirectory();
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).trim();
                        boolean comment = line.startsWith("*") || line.startsWith("//") || line.startsWith("/*");
                        if (!comment && FORBIDDEN.matcher(line).find()) {
                            violations.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertThat(violations).as("nondeterminism in the protocol core").isEmpty();
    }
}
