package io.hearsay.testnet.cli;

import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.verify.ConsistencyVerifier;
import io.hearsay.testnet.verify.DeliverChainSource;
import io.hearsay.testnet.verify.DeliverReadOptions;
import io.hearsay.testnet.verify.VerificationReport;
import io.hearsay.testnet.verify.VerifierOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hearsay verify PROFILE}: reads every peer's chain through Deliver and checks that the ledgers agree. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check every peer's chain: no fork, intact hash chains, equal state hashes, bank total unchanged.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PROFILE", description = "The network's connection.json (written by 'up' and 'demo').")
    Path profile;

    @Option(names = "--channel", description = "Channel to verify. Default: the profile's first.")
    String channel;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--allow-lagging", description = "Do not report peers that are behind the highest one.")
    boolean allowLagging;

    @Override
    public Integer call() {
        ConnectionProfile connection = ConnectionProfile.read(profile);
        String name = channel != null ? channel : connection.channels().get(0);
        VerifierOptions options = allowLagging ? VerifierOptions.defaults().allowingLaggingPeers() : VerifierOptions.defaults();
        VerificationReport report = new ConsistencyVerifier(options)
                .verify(DeliverChainSource.forProfile(connection, name, DeliverReadOptions.defaults()));
        spec.commandLine().getOut().print(json ? report.toJson() : report.toText());
        return report.exitCode();
    }
}
