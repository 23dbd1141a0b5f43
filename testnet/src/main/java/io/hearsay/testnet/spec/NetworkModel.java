package io.hearsay.testnet.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How peers find each other and receive blocks: the first three stages of DESIGN.md's story. */
public enum NetworkModel {
    /** One index server knows every peer; joiners ask it. Simple, and a single point of failure. */
    CENTRAL,
    /** Every peer keeps a few random neighbours and gossips blocks to them. */
    GOSSIP,
    /** Anchor peers (super-nodes) gossip among themselves; other peers attach to two of them. */
    HYBRID;

    /** The name used in spec files: lower case. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<NetworkModel> fromSpecName(String name) {
        return Arrays.stream(values()).filter(model -> model.specName().equals(name)).findFirst();
    }
}
