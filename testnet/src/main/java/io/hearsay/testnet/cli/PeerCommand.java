package io.hearsay.testnet.cli;

import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.node.PeerConfig;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.testnet.launch.UntilStopped;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hearsay peer --config peer.yaml [--set key=value]...}: one peer node in this process, until SIGTERM or
 * Ctrl-C. A configuration problem is one line naming the option, and exit code 2, before anything starts.
 */
@Command(name = "peer", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run one peer node from its peer.yaml ('hearsay up' writes one per peer) until stopped.",
            "Every option may be overridden by HEARSAY_PEER_<KEY> (dots as underscores) or --set key=value."})
final class PeerCommand implements Callable<Integer> {
    static final String ENVIRONMENT_PREFIX = "HEARSAY_PEER";

    static final int USAGE_EXIT_CODE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The peer's YAML configuration.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override one option, e.g. --set gossip.preset=wan; wins over the file and the environment.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        PeerConfig peerConfig;
        try {
            peerConfig = PeerConfig.from(ConfigTree.load(config, ENVIRONMENT_PREFIX, System.getenv(), overrides));
        } catch (ConfigException e) {
            // A bad option value is a usage error (exit 2, as HearsayCli documents), reported as the one line that names it.
            spec.commandLine().getErr().println("error: " + FailureReporter.oneLine(e));
            spec.commandLine().getErr().flush();
            return USAGE_EXIT_CODE;
        }
        PeerNode node = PeerNode.start(peerConfig);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("peer %s (%s) listening on %s:%d, operations on http://%s:%d; Ctrl-C stops it%n", peerConfig.name(),
                peerConfig.mspId(), peerConfig.listen().host(), node.port(), peerConfig.operations().host(),
                node.operationsPort());
        out.flush();
        UntilStopped.closingOnShutdown(node).await();
        return 0;
    }
}
