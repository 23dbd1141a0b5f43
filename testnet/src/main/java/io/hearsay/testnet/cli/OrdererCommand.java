package io.hearsay.testnet.cli;

import io.hearsay.peer.node.OrdererProcess;
import io.hearsay.peer.node.OrdererProcessConfig;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.testnet.launch.NodeControl;
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
 * {@code hearsay orderer --config orderer.yaml [--set key=value]...}: the solo orderer in this process, until SIGTERM
 * or Ctrl-C. A configuration problem is one line naming the option, and exit code 2, before anything starts. A launcher
 * adds {@code --control stdin} ({@link NodeControlOptions}): the orderer then stops when its launcher dies.
 */
@Command(name = "orderer", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the solo orderer from its orderer.yaml ('hearsay up' writes one) until stopped.",
            "Every option may be overridden by HEARSAY_ORDERER_<KEY> (dots as underscores) or --set key=value."})
final class OrdererCommand implements Callable<Integer> {
    static final String ENVIRONMENT_PREFIX = "HEARSAY_ORDERER";

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The orderer's YAML configuration.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override one option, e.g. --set batch.timeout=1s; wins over the file and the environment.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Mixin
    NodeControlOptions control = new NodeControlOptions();

    @Override
    public Integer call() throws InterruptedException {
        if (!control.check(spec)) {
            return NodeConfigFile.USAGE_EXIT_CODE;
        }
        var loaded = NodeConfigFile.load(spec, config, ENVIRONMENT_PREFIX, overrides, OrdererProcessConfig::from);
        if (loaded.isEmpty()) {
            return NodeConfigFile.USAGE_EXIT_CODE;
        }
        OrdererProcessConfig ordererConfig = loaded.get();
        NodeResources resources = NodeResources.forCores();
        OrdererProcess orderer;
        try {
            orderer = OrdererProcess.start(ordererConfig, resources);
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("orderer %s (%s) listening on %s:%d; Ctrl-C stops it%n", ordererConfig.name(), ordererConfig.mspId(),
                ordererConfig.listen().host(), orderer.port());
        out.flush();
        UntilStopped stopped = UntilStopped.closingOnShutdown(() -> {
            orderer.close();
            resources.close();
        });
        control.start(ordererConfig.name(), NodeControl.noCommands("orderer " + ordererConfig.name()));
        stopped.await();
        return 0;
    }
}
