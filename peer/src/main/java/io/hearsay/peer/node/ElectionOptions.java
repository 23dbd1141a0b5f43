package io.hearsay.peer.node;

import io.hearsay.discovery.election.ElectionConfig;
import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.election.ChannelElection;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The {@code election:} section of {@code peer.yaml}: the timing of the per-channel leader election that
 * {@code leader: elected} runs ({@link ElectionConfig}, {@link ChannelElection.Settings}). All peers of an
 * organisation should use the same values: a peer whose timeout is shorter than its leader's heartbeat allows would
 * presume the leader gone and elect a second one.
 *
 * <p>Failover after a leader's crash takes between {@code leaderTimeout − heartbeatInterval} and
 * {@code leaderTimeout}, plus one network delay (1.0–1.5 s with {@code lan}, 3–4 s with {@code wan}).
 *
 * @param preset where unset values come from: {@code lan} (default; {@link ElectionConfig#lan()}) or {@code wan}
 *     ({@link ElectionConfig#wan()}: longer, for larger jitter and loss)
 * @param heartbeatInterval how often a leader declares itself to its organisation (lan 500 ms, wan 1 s); also how
 *     often every peer re-evaluates who should lead
 * @param leaderTimeout silence after which a follower presumes its leader gone; at least 2 × the heartbeat, so one
 *     lost declaration never starts an election. Unset: the preset's ratio to the heartbeat (lan 3×, wan 4×)
 * @param startupGrace how long a starting peer listens before it may lead, so it hears a sitting leader first; at
 *     least one heartbeat. Unset: as the timeout, by the preset's ratio
 * @param leadersPerOrganization peers of the organisation that take blocks from the orderer at once (default 1)
 * @param viewRefreshInterval how often the election polls the peer's open connections (default a fifth of the
 *     heartbeat): a leader whose connections dropped is replaced this long after, well inside the timeout; at most
 *     one heartbeat
 */
public record ElectionOptions(Preset preset, Duration heartbeatInterval, Duration leaderTimeout, Duration startupGrace,
        int leadersPerOrganization, Duration viewRefreshInterval) {
    /** The most leaders an organisation may want: more would be every peer pulling from the orderer. */
    public static final int LEADERS_PER_ORGANIZATION_MAX = 100;
    private static final Duration DURATION_MAX = Duration.ofMinutes(10);

    /** The presets, by the network they suit. */
    public enum Preset {
        LAN, WAN;

        ElectionConfig config() {
            return this == LAN ? ElectionConfig.lan() : ElectionConfig.wan();
        }
    }

    public ElectionOptions {
        Objects.requireNonNull(preset, "preset");
        checkRange("election.heartbeatInterval", heartbeatInterval, Duration.ofMillis(1), Duration.ofMinutes(1), "");
        checkRange("election.leaderTimeout", leaderTimeout, heartbeatInterval.multipliedBy(2), DURATION_MAX,
                " (at least 2 × election.heartbeatInterval: one lost declaration must not start an election)");
        checkRange("election.startupGrace", startupGrace, heartbeatInterval, DURATION_MAX,
                " (at least election.heartbeatInterval: a starting peer must hear a sitting leader)");
        checkRange("election.viewRefreshInterval", viewRefreshInterval, Duration.ofMillis(1), heartbeatInterval,
                " (at most election.heartbeatInterval: a dropped connection must be noticed before a silent leader is)");
        if (leadersPerOrganization < 1 || leadersPerOrganization > LEADERS_PER_ORGANIZATION_MAX) {
            throw new ConfigException("election.leadersPerOrganization: must be between 1 and "
                    + LEADERS_PER_ORGANIZATION_MAX + ", got " + leadersPerOrganization);
        }
    }

    /** The LAN preset as it is: the default. */
    public static ElectionOptions lan() {
        return of(Preset.LAN);
    }

    /** {@code preset} as it is. */
    public static ElectionOptions of(Preset preset) {
        ElectionConfig config = preset.config();
        Duration heartbeat = Duration.ofMillis(config.heartbeatIntervalMillis());
        return new ElectionOptions(preset, heartbeat, Duration.ofMillis(config.leaderTimeoutMillis()),
                Duration.ofMillis(config.startupGraceMillis()), config.leadersPerOrganization(),
                defaultViewRefresh(heartbeat));
    }

    /** What a channel's election runs with. */
    public ChannelElection.Settings settings() {
        return new ChannelElection.Settings(new ElectionConfig(heartbeatInterval.toMillis(), leaderTimeout.toMillis(),
                startupGrace.toMillis(), leadersPerOrganization, new TreeSet<>()), viewRefreshInterval.toMillis());
    }

    static ElectionOptions from(ConfigTree tree) {
        tree.string("election", null); // "election:" with nothing under it is the default, not an unknown option
        Preset preset = tree.enumValue("election.preset", Preset.class, Preset.LAN);
        ElectionOptions base = of(preset);
        Duration heartbeat = tree.duration("election.heartbeatInterval", base.heartbeatInterval, Duration.ofMillis(1),
                Duration.ofMinutes(1));
        Duration timeout = tree.duration("election.leaderTimeout", scaled(base.leaderTimeout, base, heartbeat),
                Duration.ofMillis(1), DURATION_MAX);
        Duration grace = tree.duration("election.startupGrace", scaled(base.startupGrace, base, heartbeat),
                Duration.ofMillis(1), DURATION_MAX);
        int leaders = tree.intValue("election.leadersPerOrganization", base.leadersPerOrganization, 1,
                LEADERS_PER_ORGANIZATION_MAX);
        Duration refresh = tree.duration("election.viewRefreshInterval", defaultViewRefresh(heartbeat),
                Duration.ofMillis(1), Duration.ofMinutes(1));
        return new ElectionOptions(preset, heartbeat, timeout, grace, leaders, refresh);
    }

    /** {@code presetValue} in the preset's ratio to its heartbeat, applied to {@code heartbeat}. */
    private static Duration scaled(Duration presetValue, ElectionOptions preset, Duration heartbeat) {
        return Duration.ofMillis(presetValue.toMillis() * heartbeat.toMillis() / preset.heartbeatInterval.toMillis());
    }

    private static Duration defaultViewRefresh(Duration heartbeat) {
        return Duration.ofMillis(Math.max(1, heartbeat.toMillis() / 5));
    }

    /** {@code why}: the reason for a bound that depends on another key, or empty. */
    private static void checkRange(String key, Duration value, Duration min, Duration max, String why) {
        Objects.requireNonNull(value, key);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(key + ": must be between " + millis(min) + " and " + millis(max) + ", got "
                    + millis(value) + why);
        }
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + "ms";
    }

    /** The preset's name as {@code peer.yaml} spells it. */
    public String presetName() {
        return preset.name().toLowerCase(Locale.ROOT);
    }
}
