package io.hearsay.testnet.cli;

import io.hearsay.testnet.launch.NodeControl;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options a launcher gives {@code hearsay peer} and {@code hearsay orderer} when it starts them as child
 * processes ({@code up --processes}): {@code --control stdin} makes stdin the node's {@link NodeControl} channel, and
 * the node stops when it closes (its launcher died). Hidden: a node started by hand has no launcher, and without the
 * option it never reads stdin.
 */
final class NodeControlOptions {
    private static final Logger LOG = LoggerFactory.getLogger(NodeControlOptions.class);
    /** The exit code of a node whose launcher is gone: it closed cleanly, on its own. */
    static final int PARENT_GONE_EXIT_CODE = 0;

    @Option(names = "--control", hidden = true, paramLabel = "SOURCE",
            description = "'stdin': take control commands on stdin, and stop when it closes (for launchers).")
    String control;

    @Option(names = "--control-ack", hidden = true, paramLabel = "FILE",
            description = "Where a peer acknowledges the control commands it applied (for launchers).")
    Path ack;

    /** Whether the options are usable; if not, prints the one line saying why (a usage error). */
    boolean check(CommandSpec spec) {
        String problem = null;
        if (control != null && !control.equals(NodeControl.STDIN)) {
            problem = "--control takes '" + NodeControl.STDIN + "', the only control channel there is; got '" + control + "'";
        } else if (control == null && ack != null) {
            problem = "--control-ack needs --control " + NodeControl.STDIN + ": acknowledgements answer its commands";
        }
        if (problem != null) {
            spec.commandLine().getErr().println("error: " + problem);
            spec.commandLine().getErr().flush();
        }
        return problem == null;
    }

    Optional<Path> ack() {
        return Optional.ofNullable(ack);
    }

    /**
     * With {@code --control stdin}, reads stdin on a thread of its own, each line going to {@code handler}; at its
     * end exits the JVM, whose shutdown hook closes the node. Without it, stdin is left alone.
     */
    void start(String node, Consumer<String> handler) {
        if (control == null) {
            return;
        }
        NodeControl.start(System.in, handler, () -> {
            LOG.info("{} stops: its launcher is gone", node);
            System.exit(PARENT_GONE_EXIT_CODE);
        });
    }
}
