package io.hearsay.testnet.cli;

import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/** Reading a node's YAML config for {@code hearsay peer} and {@code hearsay orderer}: file, environment, then flags. */
final class NodeConfigFile {
    /** A bad option value is a usage error, as {@link HearsayCli} documents. */
    static final int USAGE_EXIT_CODE = 2;

    private NodeConfigFile() {}

    /**
     * The config in {@code file} with {@code <prefix>_<KEY>} environment variables and {@code --set} flags applied, or
     * empty after printing the one line that names the bad option (the command then exits with {@link #USAGE_EXIT_CODE}).
     */
    static <T> Optional<T> load(CommandSpec spec, Path file, String environmentPrefix, Map<String, String> flags,
            Function<ConfigTree, T> parse) {
        try {
            return Optional.of(parse.apply(ConfigTree.load(file, environmentPrefix, System.getenv(), flags)));
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("error: " + FailureReporter.oneLine(e));
            spec.commandLine().getErr().flush();
            return Optional.empty();
        }
    }
}
