package io.hearsay.testnet.launch;

import static io.hearsay.testnet.launch.FaultsCommandTest.FIRST;
import static io.hearsay.testnet.launch.FaultsCommandTest.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.peer.transport.LinkFaults;
import io.hearsay.peer.transport.LinkFaults.Link;
import io.hearsay.peer.transport.LinkFaults.Rule;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's control channel in one JVM, over a pipe: each faults line replaces the peer's link faults and is
 * acknowledged with the pid and the line; malformed, stale and over-long lines change nothing and the next good line
 * still applies; the end of input runs the parent-gone action.
 */
class NodeControlTest {
    private static final long PID = 4242;
    private static final Duration BOUND = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @Test
    void linesReplaceTheFaultsAndBadLinesAreIgnored() throws Exception {
        Path ack = directory.resolve("control.ack");
        AtomicReference<LinkFaults> installed = new AtomicReference<>();
        CountDownLatch parentGone = new CountDownLatch(1);
        PipedOutputStream parent = new PipedOutputStream();
        Thread reader = NodeControl.start(new PipedInputStream(parent, 1 << 16),
                new LinkFaultsControl(installed::set, Optional.of(ack), PID), parentGone::countDown);

        FaultsCommand partition = command(1, Map.of(FIRST, new Rule(0, 0, 0, true, false)));
        send(parent, partition.line());
        await().atMost(BOUND).until(() -> acknowledged(ack), LinkFaultsControl.ack(PID, partition)::equals);
        assertThat(installed.get().effective(FIRST).blocked()).isTrue();
        assertThat(installed.get().seed()).isEqualTo(99);

        send(parent, "hello");
        send(parent, "faults 2 seed=99 " + FIRST.toHex() + ":loss=7");
        send(parent, "faults 1 seed=99"); // stale: generation 1 was applied already
        send(parent, "x".repeat(NodeControl.LINE_CHARS_MAX + 10));
        FaultsCommand loss = command(2, Map.of(SECOND, new Rule(0.1, 20, 0, false, false)));
        send(parent, loss.line());

        await().atMost(BOUND).until(() -> acknowledged(ack), LinkFaultsControl.ack(PID, loss)::equals);
        assertThat(installed.get().rule(Link.to(SECOND))).isEqualTo(new Rule(0.1, 20, 0, false, false));
        assertThat(installed.get().rule(Link.to(FIRST))).as("a link the new set leaves out is cleared").isEqualTo(Rule.NONE);
        assertThat(parentGone.getCount()).as("the node keeps going after bad lines").isEqualTo(1);

        parent.close();
        assertThat(parentGone.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("end of input: the parent is gone").isTrue();
        reader.join(BOUND.toMillis());
        assertThat(reader.isAlive()).isFalse();
    }

    private static FaultsCommand command(long generation, Map<io.hearsay.identity.PkiId, Rule> peers) {
        return new FaultsCommand(generation, 99, Rule.NONE, new TreeMap<>(peers));
    }

    private static void send(PipedOutputStream parent, String line) throws IOException {
        parent.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        parent.flush();
    }

    private static String acknowledged(Path ack) throws IOException {
        return Files.exists(ack) ? Files.readString(ack) : "";
    }
}
