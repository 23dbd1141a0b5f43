package io.hearsay.peer.node;

import io.hearsay.discovery.view.ViewConfig;
import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.index.IndexClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code discovery:} section of {@code peer.yaml}: how a peer finds the gossip neighbours of its own organisation
 * (DESIGN.md, "The classic story"). Other organisations are reached through the configured {@code neighbours} and the
 * anchors ({@code overlay:}), whatever the mode, as Fabric's visibility rules have it.
 *
 * <ul>
 *   <li>{@code static} (default): the listed {@code neighbours} only, for ever — what a node did before discovery ran.
 *   <li>{@code membership}: pure gossip. SWIM membership among the organisation's peers, joined through {@code seeds},
 *       and a random view of {@code minDegree}..{@code maxDegree} live members as gossip neighbours; a dead one is
 *       replaced as soon as SWIM declares it.
 *   <li>{@code index}: the central index server at {@code index} (an orderer with {@code index.enabled}); the view is
 *       drawn from the peers it answers with, renewed every {@code refreshInterval}.
 * </ul>
 *
 * <p>In both discovering modes the peer keeps a connection to every live member of its organisation (SWIM probes them,
 * the election counts the peers it is connected to), so its connections grow with its organisation; the view bounds
 * only whom it gossips blocks with.
 *
 * @param mode how neighbours are found (default {@code static})
 * @param endpoint where peers of this organisation reach this peer, told to the membership or the index. Default: the
 *     overlay's internal endpoint if set, else the listen host and the port the node bound
 * @param view the view's bounds ({@code minDegree}, {@code maxDegree}; default {@link ViewConfig#defaults()}: 4 and 8)
 * @param seeds peers of this organisation to join the membership through ({@code membership} mode; at least one,
 *     unless this peer is the organisation's first, which others seed from)
 * @param index the central index's {@code host:port} ({@code index} mode, required there)
 * @param refreshInterval how often the index is asked again (default 2 s, {@link IndexClientSettings})
 */
public record DiscoveryConfig(Mode mode, Optional<HostPort> endpoint, ViewConfig view, List<Seed> seeds,
        Optional<HostPort> index, Duration refreshInterval) {
    private static final java.util.Set<String> WILDCARD_HOSTS = java.util.Set.of("0.0.0.0", "::", "[::]", "");

    public enum Mode {
        STATIC, MEMBERSHIP, INDEX
    }

    /**
     * A peer of this organisation to join through.
     *
     * @param certificate its signing certificate (PEM), which gives its PKI-ID
     * @param serverName the name its TLS certificate is checked against (default: the endpoint's host)
     */
    public record Seed(HostPort endpoint, Path certificate, String serverName) {
        public Seed {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(serverName, "serverName");
        }
    }

    public DiscoveryConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        seeds = List.copyOf(seeds);
        if (mode == Mode.INDEX && index.isEmpty()) {
            throw new ConfigException("discovery.index: the index mode needs the index server's host:port (an orderer "
                    + "with index.enabled: true)");
        }
    }

    /** Static neighbours only: the default. */
    public static DiscoveryConfig staticNeighbours() {
        return new DiscoveryConfig(Mode.STATIC, Optional.empty(), ViewConfig.defaults(), List.of(), Optional.empty(),
                Duration.ofMillis(IndexClientSettings.of("localhost", 1).refreshMillis()));
    }

    /** SWIM membership within the organisation, joined through {@code seeds}. */
    public static DiscoveryConfig membership(List<Seed> seeds, ViewConfig view) {
        return new DiscoveryConfig(Mode.MEMBERSHIP, Optional.empty(), view, seeds, Optional.empty(),
                staticNeighbours().refreshInterval());
    }

    /** The central index at {@code index}. */
    public static DiscoveryConfig index(HostPort index, ViewConfig view) {
        return new DiscoveryConfig(Mode.INDEX, Optional.empty(), view, List.of(), Optional.of(index),
                staticNeighbours().refreshInterval());
    }

    /** Where this peer tells its organisation it is reached, given the address it bound. */
    HostPort endpointOr(HostPort bound) {
        return endpoint.orElse(bound);
    }

    /** The index client's settings ({@code index} mode). */
    IndexClientSettings indexSettings() {
        HostPort server = index.orElseThrow();
        long refresh = refreshInterval.toMillis();
        return IndexClientSettings.of(server.host(), server.port())
                .withRefresh(refresh, Math.min(IndexClientSettings.of("localhost", 1).requestTimeoutMillis(), refresh / 2))
                .withView(view);
    }

    static DiscoveryConfig from(ConfigTree tree, Optional<HostPort> overlayEndpoint) {
        tree.string("discovery", null); // "discovery:" with nothing under it is the default, not an unknown option
        String modeText = tree.string("discovery.mode", "static").trim().toLowerCase(Locale.ROOT);
        Mode mode = switch (modeText) {
            case "static" -> Mode.STATIC;
            case "membership" -> Mode.MEMBERSHIP;
            case "index" -> Mode.INDEX;
            default -> throw new ConfigException("discovery.mode: must be one of [static, membership, index], got '"
                    + modeText + "'");
        };
        ViewConfig defaults = ViewConfig.defaults();
        int minDegree = tree.intValue("discovery.minDegree", defaults.minDegree(), 1, ViewConfig.DEGREE_MAX);
        int maxDegree = tree.intValue("discovery.maxDegree", Math.max(defaults.maxDegree(), minDegree), 1,
                ViewConfig.DEGREE_MAX);
        if (maxDegree < minDegree) {
            throw new ConfigException("discovery.maxDegree: must be at least discovery.minDegree (" + minDegree + "), got "
                    + maxDegree);
        }
        Optional<HostPort> endpoint = Optional.ofNullable(tree.hostPort("discovery.endpoint", null)).or(() -> overlayEndpoint);
        endpoint.filter(e -> e.port() == 0).ifPresent(e -> {
            throw new ConfigException("discovery.endpoint: others dial it, so it needs a real port, got " + e);
        });
        HostPort listen = tree.hostPort("listen", PeerConfig.DEFAULT_LISTEN);
        if (mode != Mode.STATIC && endpoint.isEmpty() && WILDCARD_HOSTS.contains(listen.host())) {
            throw new ConfigException("discovery.endpoint: missing; listen is " + listen + ", a wildcard address the "
                    + "organisation's peers cannot dial: give the host:port they reach this peer at");
        }
        List<Seed> seeds = new ArrayList<>();
        List<ConfigTree> entries = tree.list("discovery.seeds");
        for (int i = 0; i < entries.size(); i++) {
            ConfigTree entry = entries.get(i);
            HostPort seedEndpoint = entry.hostPort("endpoint", null);
            if (seedEndpoint == null || seedEndpoint.port() == 0) {
                throw new ConfigException("discovery.seeds[" + i + "].endpoint: each seed needs the host:port it is reached at");
            }
            seeds.add(new Seed(seedEndpoint, Path.of(entry.requiredString("cert", "the seed's signing certificate (PEM)")),
                    entry.string("serverName", seedEndpoint.host())));
            entry.requireAllRead();
        }
        Optional<HostPort> index = Optional.ofNullable(tree.hostPort("discovery.index", null));
        Duration refresh = tree.duration("discovery.refreshInterval", staticNeighbours().refreshInterval(),
                Duration.ofMillis(50), Duration.ofMinutes(10));
        return new DiscoveryConfig(mode, endpoint, new ViewConfig(minDegree, maxDegree), seeds, index, refresh);
    }
}
