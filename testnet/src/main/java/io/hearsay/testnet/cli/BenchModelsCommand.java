package io.hearsay.testnet.cli;

import io.hearsay.testnet.bench.ModelsBenchmark;
import io.hearsay.testnet.spec.NetworkModel;
import io.hearsay.testnet.support.WorkDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearsay bench models}: the three network models side by side on real nodes ({@link ModelsBenchmark}). */
@Command(name = "models",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Launch a real network in this JVM for each network model (central index, pure gossip, hybrid anchors) and"
                    + " measure: startup until every view is full, a block from the orderer to every peer (p50, p99),"
                    + " discovery and gossip traffic while idle, how long until a stopped peer leaves every view, and"
                    + " whether a restarted peer finds its organisation, and gets blocks, with the model's key"
                    + " component down (the index; the first anchor, a seed).",
            "About a minute per model at the defaults. Progress goes to stderr; the results (a table, or one JSON"
                    + " object with --json) to stdout."
        })
final class BenchModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--peers-per-org", paramLabel = "N", defaultValue = "4",
            description = "Peers per organisation, 3 to 16 (two are anchors). Default: ${DEFAULT-VALUE}.")
    int peersPerOrganization;

    @Option(names = "--orgs", paramLabel = "N", defaultValue = "2",
            description = "Organisations, 2 to 8. Default: ${DEFAULT-VALUE}.")
    int organizations;

    @Option(names = "--blocks", paramLabel = "B", defaultValue = "20",
            description = "Measured blocks per model, one transaction each, 1 to 1000. Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--idle-seconds", paramLabel = "S", defaultValue = "10",
            description = "Seconds the idle traffic is counted over, 1 to 600. Default: ${DEFAULT-VALUE}.")
    int idleSeconds;

    @Option(names = "--join-window-seconds", paramLabel = "S", defaultValue = "10",
            description = "Seconds a restarted peer may take to find its organisation, and a block to reach it, 1 to 600."
                    + " Default: ${DEFAULT-VALUE}.")
    int joinWindowSeconds;

    @Option(names = "--models", split = ",", paramLabel = "MODEL", defaultValue = "central,gossip,hybrid",
            description = "The models to run, in order. Default: ${DEFAULT-VALUE}.")
    List<String> models;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Keep the networks in DIR (one subdirectory per model; new or empty). Default: a temporary"
                    + " directory, deleted at exit.")
    Path workDirectory;

    @Option(names = "--json", description = "Print the results as one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        OptionRanges.check(spec, "--peers-per-org", peersPerOrganization, 3, 16);
        OptionRanges.check(spec, "--orgs", organizations, 2, 8);
        OptionRanges.check(spec, "--blocks", blocks, 1, 1000);
        OptionRanges.check(spec, "--idle-seconds", idleSeconds, 1, 600);
        OptionRanges.check(spec, "--join-window-seconds", joinWindowSeconds, 1, 600);
        List<NetworkModel> chosen = models.stream().map(this::model).toList();
        try (WorkDirectory directory = workDirectory == null
                ? WorkDirectory.temporary("hearsay-bench-models-") : WorkDirectory.kept(workDirectory)) {
            ModelsBenchmark.Result result = ModelsBenchmark.run(new ModelsBenchmark.Options(chosen, organizations,
                    peersPerOrganization, blocks, Duration.ofSeconds(idleSeconds), Duration.ofSeconds(joinWindowSeconds),
                    directory.path()), spec.commandLine().getErr());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(ModelsBenchmark.json(result));
            } else {
                out.print(ModelsBenchmark.table(result));
            }
            out.flush();
        }
        return 0;
    }

    private NetworkModel model(String name) {
        return Arrays.stream(NetworkModel.values()).filter(m -> m.specName().equals(name.strip().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new ParameterException(spec.commandLine(), "--models: unknown model '" + name
                        + "'; choose from central, gossip, hybrid"));
    }
}
