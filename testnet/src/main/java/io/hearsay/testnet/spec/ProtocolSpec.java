package io.hearsay.testnet.spec;

import io.hearsay.gossip.block.BlockGossipConfig;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The gossip protocol's settings: a preset and overrides of single fields of {@link BlockGossipConfig}, by
 * their record component names ({@code pushFanout: 3}). Checked at construction by building the config, so a
 * spec with an override the protocol refuses (or relations between fields it breaks) never reaches a peer.
 *
 * @param preset the starting point. Default {@link ProtocolPreset#LAN}.
 * @param overrides field name → value (an integer for {@code int}/{@code long} fields, true/false for
 *     {@code boolean} ones). Default none.
 */
public record ProtocolSpec(ProtocolPreset preset, Map<String, Object> overrides) {
    public ProtocolSpec {
        Objects.requireNonNull(preset, "preset");
        overrides = Collections.unmodifiableMap(new TreeMap<>(overrides));
        blockGossipConfig(preset, overrides); // validates
    }

    public static ProtocolSpec defaults() {
        return new ProtocolSpec(ProtocolPreset.LAN, Map.of());
    }

    /** The names an override may use: every field of {@link BlockGossipConfig}. */
    public static List<String> overridableFields() {
        return Arrays.stream(BlockGossipConfig.class.getRecordComponents()).map(RecordComponent::getName).sorted().toList();
    }

    /** The preset with the overrides applied. */
    public BlockGossipConfig blockGossipConfig() {
        return blockGossipConfig(preset, overrides);
    }

    private static BlockGossipConfig blockGossipConfig(ProtocolPreset preset, Map<String, Object> overrides) {
        try {
            return preset.config().withOverrides(overrides);
        } catch (IllegalArgumentException refused) {
            String message = refused.getMessage();
            int colon = message.indexOf(": ");
            String field = colon > 0 ? message.substring(0, colon) : "";
            boolean named = overrides.containsKey(field) || message.contains("unknown field");
            throw named ? new SpecException(SpecPaths.join("overrides", field), message.substring(colon + 2))
                    : new SpecException("overrides", message);
        }
    }
}
