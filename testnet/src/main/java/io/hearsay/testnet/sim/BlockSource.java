package io.hearsay.testnet.sim;

import org.hyperledger.fabric.protos.common.Block;

/** The simulated ordering service: cuts the next block; block 0 exists from the start. */
public interface BlockSource {
    Block cut();

    long height();

    Block block(long number);
}
