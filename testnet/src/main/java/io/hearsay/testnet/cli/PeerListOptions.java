package io.hearsay.testnet.cli;

import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Any Deliver-capable peers named on the command line instead of a connection profile: where each listens, how to
 * trust its TLS certificate, and the one client identity to read them all as. {@link #profile} turns them into the
 * {@link ConnectionProfile} a profile file would give (one organisation, the client's), so everything that reads a
 * profile reads these peers the same way.
 *
 * <p>{@code --tls-ca} and {@code --server-name} take a value for every peer, {@code NAME=VALUE} for one peer, or
 * both (the peer's own wins). A value is for one peer when the text before its first {@code =} has no path
 * separator (peer names have none, CA file paths usually do).
 */
final class PeerListOptions {
    @Option(names = "--peer", paramLabel = "NAME=HOST:PORT",
            description = "A peer to verify instead of a PROFILE's peers; repeat for each. Needs --channel, --tls-ca,"
                    + " --msp-id, --cert, --key, --tls-cert and --tls-key.")
    List<String> peers = new ArrayList<>();

    @Option(names = "--tls-ca", paramLabel = "[NAME=]FILE",
            description = "TLS CA certificate (PEM) a peer's TLS certificate must chain to: FILE for every --peer,"
                    + " NAME=FILE for one; repeatable.")
    List<String> tlsCas = new ArrayList<>();

    @Option(names = "--server-name", paramLabel = "[NAME=]HOST",
            description = "Name a peer's TLS certificate must carry: HOST for every --peer, NAME=HOST for one."
                    + " Default: the peer's NAME.")
    List<String> serverNames = new ArrayList<>();

    @Option(names = "--operations", paramLabel = "NAME=URL",
            description = "A peer's operations endpoint (e.g. http://127.0.0.1:9443), for its height and state hash."
                    + " Without one, its height is asked of Deliver and its state hash is not checked.")
    List<String> operations = new ArrayList<>();

    @Option(names = "--msp-id", paramLabel = "MSPID", description = "MSP id of the client identity reading the peers.")
    String mspId;

    @Option(names = "--cert", paramLabel = "FILE", description = "The client's signing certificate (PEM).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The client's signing key (PEM).")
    Path key;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "The client's TLS certificate (PEM), for mutual TLS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The client's TLS key (PEM).")
    Path tlsKey;

    /** Whether any peer-list option was given. */
    boolean given() {
        return firstGiven().isPresent();
    }

    /** The first peer-list option given, to name in a usage error; empty if none was. */
    Optional<String> firstGiven() {
        Map<String, Boolean> options = new LinkedHashMap<>();
        options.put("--peer", !peers.isEmpty());
        options.put("--tls-ca", !tlsCas.isEmpty());
        options.put("--server-name", !serverNames.isEmpty());
        options.put("--operations", !operations.isEmpty());
        options.put("--msp-id", mspId != null);
        options.put("--cert", cert != null);
        options.put("--key", key != null);
        options.put("--tls-cert", tlsCert != null);
        options.put("--tls-key", tlsKey != null);
        return options.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).findFirst();
    }

    /**
     * The peers as a one-organisation profile on {@code channel}.
     *
     * @throws ParameterException naming the option that is missing or wrong
     */
    ConnectionProfile profile(CommandSpec spec, String channel) {
        if (peers.isEmpty()) {
            throw usage(spec, "--peer: name at least one peer as NAME=HOST:PORT");
        }
        Map<String, String> endpoints = endpoints(spec);
        if (channel == null) {
            throw usage(spec, "--channel is required with --peer: a peer list names no channel");
        }
        String msp = required(spec, "--msp-id", mspId, "the client identity's MSP id");
        ConnectionProfile.Client client = new ConnectionProfile.Client(
                file(spec, "--cert", cert, "the client's signing certificate"),
                file(spec, "--key", key, "the client's signing key"),
                file(spec, "--tls-cert", tlsCert, "the client's TLS certificate"),
                file(spec, "--tls-key", tlsKey, "the client's TLS key"));
        PerPeer cas = PerPeer.parse(spec, "--tls-ca", tlsCas, endpoints);
        PerPeer names = PerPeer.parse(spec, "--server-name", serverNames, endpoints);
        Map<String, String> urls = new LinkedHashMap<>();
        for (String value : operations) {
            String[] parts = nameAndValue(spec, "--operations", value, "NAME=URL", endpoints);
            if (!parts[1].startsWith("http://") && !parts[1].startsWith("https://")) {
                throw usage(spec, "--operations " + value + ": the URL must start with http:// or https://");
            }
            if (urls.put(parts[0], parts[1]) != null) {
                throw usage(spec, "--operations: peer " + parts[0] + " is given two URLs");
            }
        }
        List<ConnectionProfile.Peer> list = new ArrayList<>();
        endpoints.forEach((name, endpoint) -> {
            String ca = cas.of(name).orElseThrow(() -> usage(spec, "--tls-ca: no TLS CA certificate for peer " + name
                    + "; give --tls-ca FILE for every peer, or --tls-ca " + name + "=FILE"));
            list.add(new ConnectionProfile.Peer(name, endpoint, file(spec, "--tls-ca", Path.of(ca), "a TLS CA certificate"),
                    names.of(name).orElse(name), Optional.ofNullable(urls.get(name))));
        });
        return new ConnectionProfile("peers", List.of(channel),
                List.of(new ConnectionProfile.Organization(msp, list, client)));
    }

    /** The --peer values by name, in the order given. */
    private Map<String, String> endpoints(CommandSpec spec) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (String value : peers) {
            int equals = value.indexOf('=');
            String name = equals < 0 ? "" : value.substring(0, equals);
            String endpoint = equals < 0 ? "" : value.substring(equals + 1);
            if (name.isBlank() || !dialable(endpoint)) {
                throw usage(spec, "--peer " + value + ": expected NAME=HOST:PORT with a port from 1 to 65535,"
                        + " e.g. peer0.org1.example.com=127.0.0.1:7051");
            }
            if (endpoints.put(name, endpoint) != null) {
                throw usage(spec, "--peer: peer " + name + " is given twice");
            }
        }
        return endpoints;
    }

    /** host:port as node configs parse it, and not port 0 (which there means "pick a free one"). */
    private static boolean dialable(String endpoint) {
        try {
            return HostPort.parse(endpoint, ConfigException::new).port() != 0;
        } catch (ConfigException e) {
            return false;
        }
    }

    /** A NAME=VALUE option's two parts; NAME must be a --peer. */
    private static String[] nameAndValue(CommandSpec spec, String option, String value, String form,
            Map<String, String> peers) {
        int equals = value.indexOf('=');
        if (equals <= 0 || equals == value.length() - 1) {
            throw usage(spec, option + " " + value + ": expected " + form);
        }
        String name = value.substring(0, equals);
        if (!peers.containsKey(name)) {
            throw usage(spec, option + " " + value + ": no --peer is named " + name + "; the peers are " + peers.keySet());
        }
        return new String[] {name, value.substring(equals + 1)};
    }

    private static String required(CommandSpec spec, String option, String value, String what) {
        if (value == null || value.isBlank()) {
            throw usage(spec, option + " is required with --peer: " + what);
        }
        return value;
    }

    private static Path file(CommandSpec spec, String option, Path file, String what) {
        if (file == null) {
            throw usage(spec, option + " is required with --peer: " + what + " (PEM file)");
        }
        if (!Files.isRegularFile(file)) {
            throw usage(spec, option + ": no file at " + file.toAbsolutePath());
        }
        return file.toAbsolutePath();
    }

    private static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** An option given for every peer ({@code VALUE}) and/or per peer ({@code NAME=VALUE}). */
    private record PerPeer(Optional<String> all, Map<String, String> byPeer) {
        static PerPeer parse(CommandSpec spec, String option, List<String> values, Map<String, String> peers) {
            Optional<String> all = Optional.empty();
            Map<String, String> byPeer = new LinkedHashMap<>();
            for (String value : values) {
                int equals = value.indexOf('=');
                boolean forOnePeer = equals >= 0 && !value.substring(0, equals).contains("/")
                        && !value.substring(0, equals).contains("\\");
                if (forOnePeer) {
                    String[] parts = nameAndValue(spec, option, value, "NAME=VALUE", peers);
                    if (byPeer.put(parts[0], parts[1]) != null) {
                        throw usage(spec, option + ": peer " + parts[0] + " is given two values");
                    }
                } else if (all.isPresent()) {
                    throw usage(spec, option + ": " + all.get() + " and " + value + " are both given for every peer;"
                            + " give one, and NAME=VALUE for the peers that differ");
                } else {
                    all = Optional.of(value);
                }
            }
            return new PerPeer(all, byPeer);
        }

        Optional<String> of(String peer) {
            return Optional.ofNullable(byPeer.get(peer)).or(() -> all);
        }
    }
}
