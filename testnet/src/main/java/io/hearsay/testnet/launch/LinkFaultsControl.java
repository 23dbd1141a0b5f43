package io.hearsay.testnet.launch;

import io.hearsay.identity.PkiId;
import io.hearsay.peer.transport.LinkFaults;
import io.hearsay.peer.transport.LinkFaults.Link;
import io.hearsay.peer.transport.LinkFaults.Rule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's side of link faults over its {@link NodeControl} channel: applies each {@link FaultsCommand} line to
 * the peer's gossip transport, replacing the previous set, then acknowledges it by writing {@link #ack} — this
 * process's pid and the line applied — to the acknowledgement file, atomically, where the launcher waits for it.
 * The pid tells the launcher the file is this process's and not one a previous run left behind.
 *
 * <p>Called on the control thread only; {@link LinkFaults} itself is thread-safe towards the transport.
 */
public final class LinkFaultsControl implements Consumer<String> {
    private static final Logger LOG = LoggerFactory.getLogger(LinkFaultsControl.class);

    private final Consumer<LinkFaults> install;
    private final Optional<Path> ackFile;
    private final long pid;
    private LinkFaults faults;
    private long generation;
    /** The neighbours with a rule of their own now, so the next command can clear those it no longer names. */
    private Set<PkiId> faulted = new HashSet<>();

    /**
     * @param install puts a peer's faults into its transport ({@code gossipNetwork::faults})
     * @param ackFile where acknowledgements go; empty: the log line is the only trace
     */
    public LinkFaultsControl(Consumer<LinkFaults> install, Optional<Path> ackFile, long pid) {
        this.install = install;
        this.ackFile = ackFile;
        this.pid = pid;
    }

    /** What the acknowledgement file holds after {@code command}: {@code <pid> <command line>}. */
    public static String ack(long pid, FaultsCommand command) {
        return pid + " " + command.line() + "\n";
    }

    @Override
    public void accept(String line) {
        FaultsCommand command = FaultsCommand.parse(line);
        if (command.generation() <= generation) {
            throw new IllegalArgumentException("generation " + command.generation() + " is not after " + generation
                    + ", the last one applied; a launcher numbers its commands upwards");
        }
        if (faults == null || faults.seed() != command.seed()) {
            faults = new LinkFaults(command.seed());
            faulted = new HashSet<>();
            install.accept(faults);
        }
        faults.set(Link.all(), command.all());
        for (PkiId gone : faulted) {
            if (!command.peers().containsKey(gone)) {
                faults.set(Link.to(gone), Rule.NONE);
            }
        }
        command.peers().forEach((peer, rule) -> faults.set(Link.to(peer), rule));
        faulted = new HashSet<>(command.peers().keySet());
        generation = command.generation();
        LOG.info("control: applied {}", command.line());
        ackFile.ifPresent(file -> NetworkMaterial.writeAtomically(file, ack(pid, command).getBytes(StandardCharsets.UTF_8)));
    }
}
