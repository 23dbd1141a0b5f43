package io.hearsay.testnet.spec;

import io.hearsay.gossip.block.BlockGossipConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
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
        RecordComponent[] components = BlockGossipConfig.class.getRecordComponents();
        for (String name : overrides.keySet()) {
            if (Arrays.stream(components).noneMatch(component -> component.getName().equals(name))) {
                throw new SpecException(SpecPaths.join("overrides", name),
                        "unknown field; allowed: " + String.join(", ", overridableFields()));
            }
        }
        BlockGossipConfig base = preset.config();
        Object[] arguments = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            types[i] = component.getType();
            Object override = overrides.get(component.getName());
            arguments[i] = override == null ? accessor(component, base) : coerce(component, override);
        }
        try {
            Constructor<BlockGossipConfig> constructor = BlockGossipConfig.class.getDeclaredConstructor(types);
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw new SpecException("overrides", refused.getMessage());
            }
            throw new IllegalStateException("BlockGossipConfig failed to construct: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("BlockGossipConfig's canonical constructor is not accessible", e);
        }
    }

    private static Object accessor(RecordComponent component, BlockGossipConfig config) {
        try {
            return component.getAccessor().invoke(config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read BlockGossipConfig." + component.getName(), e);
        }
    }

    private static Object coerce(RecordComponent component, Object value) {
        String path = SpecPaths.join("overrides", component.getName());
        Class<?> type = component.getType();
        if (type == boolean.class) {
            if (value instanceof Boolean) {
                return value;
            }
            throw new SpecException(path, "must be true or false, got " + SpecValues.describe(value));
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new SpecException(path, "must be an integer, got " + SpecValues.describe(value));
        }
        long number = ((Number) value).longValue();
        if (type == int.class) {
            SpecException.checkRange(path, number, Integer.MIN_VALUE, Integer.MAX_VALUE);
            return (int) number;
        }
        return number;
    }
}
