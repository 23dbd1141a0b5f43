package io.hearsay.peer.membership;

import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.swim.SwimConfig;
import io.hearsay.discovery.view.ViewConfig;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.wire.OverlayWire;
import java.util.List;
import java.util.Objects;

/**
 * A node's membership of its own organisation: whom to introduce itself to, where its organisation reaches it, and the
 * cores' timing. Relations between values are checked here.
 *
 * @param seeds peers of this node's organisation to introduce itself to at start (SWIM's join: a whole-table sync);
 *     any one that answers is enough, the rest of the organisation follows by gossip. Empty: this node waits to be
 *     found (the first peer of an organisation, or a peer others name as their seed). Seeds of another organisation
 *     are ignored with a warning: membership stays within one organisation.
 * @param internalEndpoint {@code host:port} where peers of this node's organisation reach it; carried in its signed
 *     alive record, and the address every member dials it at
 * @param swim failure detection and dissemination (default {@link SwimConfig#lan()}: 100 ms probe period, a crash is
 *     declared in about 1–3 s in a small organisation)
 * @param view how many members this node gossips blocks with (default {@link ViewConfig#defaults()}: 4 to 8)
 * @param integrity signature, rate and replay checks of membership messages (default {@link IntegrityConfig#defaults()})
 */
public record MembershipSettings(List<Seed> seeds, String internalEndpoint, SwimConfig swim, ViewConfig view,
        IntegrityConfig integrity) {
    /** A peer of this node's organisation to join through. */
    public record Seed(PkiId id, String host, int port) {
        public Seed {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(host, "host");
            if (host.isEmpty() || port < 1 || port > 65_535) {
                throw new IllegalArgumentException("seed " + id + " at '" + host + ":" + port + "' is not host:port "
                        + "(port in [1, 65535])");
            }
        }
    }

    public MembershipSettings {
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(internalEndpoint, "internalEndpoint");
        Objects.requireNonNull(swim, "swim");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(integrity, "integrity");
        if (internalEndpoint.isEmpty() || !OverlayWire.isEndpoint(internalEndpoint)) {
            throw new IllegalArgumentException("internalEndpoint '" + internalEndpoint + "' is not host:port: give the "
                    + "address this peer's organisation reaches it at");
        }
        if (seeds.stream().map(Seed::id).distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("a seed is named twice in " + seeds);
        }
    }

    /** LAN defaults: {@link SwimConfig#lan()}, {@link ViewConfig#defaults()}, {@link IntegrityConfig#defaults()}. */
    public static MembershipSettings lan(List<Seed> seeds, String internalEndpoint) {
        return new MembershipSettings(seeds, internalEndpoint, SwimConfig.lan(), ViewConfig.defaults(),
                IntegrityConfig.defaults());
    }

    public MembershipSettings withView(ViewConfig config) {
        return new MembershipSettings(seeds, internalEndpoint, swim, config, integrity);
    }

    public MembershipSettings withSwim(SwimConfig config) {
        return new MembershipSettings(seeds, internalEndpoint, config, view, integrity);
    }
}
