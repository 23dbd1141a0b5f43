package io.hearsay.testnet.launch;

import io.hearsay.identity.PkiId;
import io.hearsay.peer.transport.LinkFaults.Rule;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's end of one node process's {@link NodeControl} channel: lines go to the process's stdin, and a peer
 * acknowledges each {@link FaultsCommand} in its acknowledgement file ({@link LinkFaultsControl}). Holding the pipe
 * open is also what keeps the node alive: if this JVM dies the kernel closes it, and the node stops.
 *
 * <p>Thread-safe: sends are serialised, so generations reach the node in the order they are numbered. A send waits
 * only when the node has left the pipe's buffer (64 KiB on Linux) unread — a JVM still starting, with hundreds of
 * lines queued — until it reads.
 */
public final class ControlChannel {
    /** How often an acknowledgement is looked for: a command is applied within milliseconds once the JVM runs. */
    static final Duration ACK_POLL = Duration.ofMillis(10);

    private final String node;
    private final Process process;
    private final Optional<Path> ackFile;
    private long generation;

    ControlChannel(String node, Process process, Optional<Path> ackFile) {
        this.node = node;
        this.process = process;
        this.ackFile = ackFile;
    }

    /**
     * Sends the peer's complete link faults, replacing those it applies now; returns at once (see {@link
     * #awaitApplied}). A node that has exited is skipped: it gets its faults again when it is restarted.
     */
    public synchronized FaultsCommand sendFaults(long seed, Rule all, SortedMap<PkiId, Rule> peers) {
        FaultsCommand command = new FaultsCommand(generation + 1, seed, all, peers);
        generation = command.generation();
        writeLine(command.line());
        return command;
    }

    /** Writes one raw line (no line break in it); a node that has exited is skipped. */
    synchronized void writeLine(String line) {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a control line has no line break in it: " + line);
        }
        OutputStream stdin = process.getOutputStream();
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            if (process.isAlive()) {
                throw new UncheckedIOException("cannot write to " + node + "'s control channel (pid " + process.pid()
                        + "): " + e.getMessage(), e);
            }
            // It exited (a crash, or a kill racing this send): the pipe is closed, and there is nobody to tell.
        }
    }

    /**
     * Waits until the node has applied the last faults sent, at most {@code timeout}.
     *
     * @return true once applied; false if the process exited first (a dead node applies nothing)
     * @throws IllegalStateException if it still runs and has not applied them in time
     */
    public boolean awaitApplied(Duration timeout) throws InterruptedException {
        long wanted;
        synchronized (this) {
            wanted = generation;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (applied().map(FaultsCommand::generation).orElse(0L) < wanted) {
            if (!process.isAlive()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(node + " (pid " + process.pid() + ") did not apply link faults "
                        + wanted + " within " + timeout.toSeconds() + " s; see its log for why, e.g. a refused"
                        + " control line or a JVM still starting on a loaded machine");
            }
            TimeUnit.MILLISECONDS.sleep(ACK_POLL.toMillis()); // the caller's own thread, waiting by design
        }
        return true;
    }

    /** The last faults this process acknowledged, if any (an acknowledgement left by an earlier process is not). */
    public Optional<FaultsCommand> applied() {
        if (ackFile.isEmpty()) {
            return Optional.empty();
        }
        String ack;
        try {
            ack = Files.readString(ackFile.get(), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + node + "'s acknowledgements in " + ackFile.get(), e);
        }
        String ownPid = process.pid() + " ";
        return ack.startsWith(ownPid) ? Optional.of(FaultsCommand.parse(ack.substring(ownPid.length()))) : Optional.empty();
    }

    /** Closes the node's stdin: a node launched with {@code --control stdin} then stops, as if this JVM had died. */
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Closing a pipe whose reader is gone: nothing left to do.
        }
    }
}
