package io.hearsay.testnet.cli;

import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.verify.ConsistencyVerifier;
import io.hearsay.testnet.verify.DeliverChainSource;
import io.hearsay.testnet.verify.DeliverReadOptions;
import io.hearsay.testnet.verify.VerificationReport;
import io.hearsay.testnet.verify.VerifierOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hearsay verify PROFILE} or {@code hearsay verify --peer NAME=HOST:PORT … --channel C --tls-ca … --msp-id …}:
 * reads every peer's chain through Deliver and checks that the ledgers agree. A peer list is turned into the profile
 * a file would give ({@link PeerListOptions}), so both read the peers the same way.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check every peer's chain: no fork, intact hash chains, equal state hashes, bank total unchanged."
                + " Give the network's connection PROFILE, or any Deliver-capable peers with --peer.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PROFILE", arity = "0..1",
            description = "The network's connection.json (written by 'up' and 'demo'); or give --peer instead.")
    Path profile;

    @Option(names = "--channel", description = "Channel to verify. Default: the profile's first; required with --peer.")
    String channel;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--allow-lagging", description = "Do not report peers that are behind the highest one.")
    boolean allowLagging;

    @Mixin
    PeerListOptions peerList;

    @Override
    public Integer call() {
        ConnectionProfile connection = connection();
        String name = channel != null ? channel : connection.channels().get(0);
        VerifierOptions options = allowLagging ? VerifierOptions.defaults().allowingLaggingPeers() : VerifierOptions.defaults();
        VerificationReport report = new ConsistencyVerifier(options)
                .verify(DeliverChainSource.forProfile(connection, name, DeliverReadOptions.defaults()));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.toJson() : report.toText());
        // Said where a person reads it, never inside the JSON a tool parses.
        PrintWriter notes = json ? spec.commandLine().getErr() : out;
        List<String> withoutStateHash = connection.peers().stream().filter(p -> p.peer().operations().isEmpty())
                .map(p -> p.peer().name()).toList();
        if (!withoutStateHash.isEmpty()) {
            notes.println("state hashes not checked on " + String.join(", ", withoutStateHash) + ": no operations URL"
                    + (profile != null ? " in the profile" : " (--operations NAME=URL)")
                    + ", so their heights came from Deliver and their state hashes are unknown");
        }
        out.flush();
        notes.flush();
        return report.exitCode();
    }

    private ConnectionProfile connection() {
        if (profile != null) {
            peerList.firstGiven().ifPresent(option -> {
                throw new ParameterException(spec.commandLine(), option + " names peers without a profile; give"
                        + " either PROFILE or --peer, not both");
            });
            return ConnectionProfile.read(profile);
        }
        if (!peerList.given()) {
            throw new ParameterException(spec.commandLine(), "Missing the peers to verify: give a connection PROFILE,"
                    + " or --peer NAME=HOST:PORT for each peer");
        }
        return peerList.profile(spec, channel);
    }
}
