package io.hearsay.testnet.cli;

import io.hearsay.peer.node.PeerConfig;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.testnet.launch.LinkFaultsControl;
import io.hearsay.testnet.launch.UntilStopped;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hearsay peer --config peer.yaml [--set key=value]...}: one peer node in this process, until SIGTERM or
 * Ctrl-C. A configuration problem is one line naming the option, and exit code 2, before anything starts. A launcher
 * adds {@code --control stdin --control-ack FILE} ({@link NodeControlOptions}): the peer then takes link faults on
 * stdin ({@link LinkFaultsControl}) and stops when its launcher dies.
 */
@Command(name = "peer", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run one peer node from its peer.yaml ('hearsay up' writes one per peer) until stopped.",
            "Every option may be overridden by HEARSAY_PEER_<KEY> (dots as underscores) or --set key=value."})
final class PeerCommand implements Callable<Integer> {
    static final String ENVIRONMENT_PREFIX = "HEARSAY_PEER";

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The peer's YAML configuration.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override one option, e.g. --set gossip.preset=wan; wins over the file and the environment.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Mixin
    NodeControlOptions control = new NodeControlOptions();

    @Override
    public Integer call() throws InterruptedException {
        if (!control.check(spec)) {
            return NodeConfigFile.USAGE_EXIT_CODE;
        }
        var loaded = NodeConfigFile.load(spec, config, ENVIRONMENT_PREFIX, overrides, PeerConfig::from);
        if (loaded.isEmpty()) {
            return NodeConfigFile.USAGE_EXIT_CODE;
        }
        PeerConfig peerConfig = loaded.get();
        PeerNode node = PeerNode.start(peerConfig);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("peer %s (%s) listening on %s:%d, operations on http://%s:%d; Ctrl-C stops it%n", peerConfig.name(),
                peerConfig.mspId(), peerConfig.listen().host(), node.port(), peerConfig.operations().host(),
                node.operationsPort());
        out.flush();
        UntilStopped stopped = UntilStopped.closingOnShutdown(node);
        control.start(peerConfig.name(), new LinkFaultsControl(node.gossip().network()::faults, control.ack(),
                ProcessHandle.current().pid()));
        stopped.await();
        return 0;
    }
}
