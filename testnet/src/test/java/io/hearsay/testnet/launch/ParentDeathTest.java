package io.hearsay.testnet.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearsay up --processes} SIGKILLed — no shutdown hook, no chance to stop its nodes — leaves no orphans: the
 * kernel closes each node's stdin, and each node (two peers and the orderer) stops by itself within a bound.
 */
class ParentDeathTest {
    private static final Duration SETTLE = Duration.ofSeconds(40);
    private static final Duration EXIT_BOUND = Duration.ofSeconds(20);
    private static final String SPEC = """
            organizations:
              - {mspId: Org1MSP, domain: org1.example.com, peers: 1}
              - {mspId: Org2MSP, domain: org2.example.com, peers: 1}
            """;

    @Test
    void theNodesOfASigkilledLauncherStopByThemselves(@TempDir Path directory) throws Exception {
        Path spec = Files.writeString(directory.resolve("spec.yaml"), SPEC);
        Path data = directory.resolve("net");
        ProcessLauncher.JavaCommand java = TestNetworks.QUICK_JAVA;
        List<String> command = new ArrayList<>(List.of(java.java().toString()));
        command.addAll(java.jvmOptions());
        command.addAll(List.of("-cp", java.classPath(), java.mainClass(), "up", spec.toString(), "--processes",
                "--data-dir", data.toString(), "--jvm-option=-XX:TieredStopAtLevel=1"));
        Process launcher = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("up.log").toFile()).start();
        List<ProcessHandle> nodes = new ArrayList<>();
        try {
            NetworkLayout layout = new NetworkLayout(data);
            List<Path> logs = List.of(layout.orderer(), layout.peer("peer0.org1.example.com"),
                    layout.peer("peer0.org2.example.com")).stream().map(d -> d.resolve(ProcessLauncher.LOG_FILE)).toList();
            await().atMost(SETTLE).until(() -> logs.stream().allMatch(ParentDeathTest::listening));
            launcher.toHandle().children().forEach(nodes::add);
            assertThat(nodes).as("the launcher's nodes").hasSize(3);

            assertThat(launcher.toHandle().destroyForcibly()).isTrue();
            assertThat(launcher.waitFor(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            long killed = System.nanoTime();

            await().atMost(EXIT_BOUND).until(() -> nodes.stream().noneMatch(ProcessHandle::isAlive));
            System.out.printf("the launcher's 3 nodes stopped %d ms after it was SIGKILLed%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            for (Path log : logs) {
                assertThat(Files.readString(log)).as("%s", log).contains("its launcher is gone");
            }
        } finally {
            launcher.destroyForcibly();
            nodes.forEach(ProcessHandle::destroyForcibly); // only if the test failed: they are ours
        }
    }

    private static boolean listening(Path log) {
        try {
            return Files.exists(log) && Files.readString(log).contains("listening on");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
