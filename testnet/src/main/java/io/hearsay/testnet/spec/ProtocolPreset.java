package io.hearsay.testnet.spec;

import io.hearsay.gossip.block.BlockGossipConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The block gossip presets of {@link BlockGossipConfig}, by the names spec files use. */
public enum ProtocolPreset {
    /** {@link BlockGossipConfig#lan()}: Hearsay's default. */
    LAN(BlockGossipConfig::lan),
    /** {@link BlockGossipConfig#wan()}: timeouts for 100–300 ms round trips. */
    WAN(BlockGossipConfig::wan),
    /** {@link BlockGossipConfig#fabric()}: Fabric's own defaults, for comparison. */
    FABRIC(BlockGossipConfig::fabric);

    private final Supplier<BlockGossipConfig> config;

    ProtocolPreset(Supplier<BlockGossipConfig> config) {
        this.config = config;
    }

    public BlockGossipConfig config() {
        return config.get();
    }

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ProtocolPreset> fromSpecName(String name) {
        return Arrays.stream(values()).filter(preset -> preset.specName().equals(name)).findFirst();
    }
}
