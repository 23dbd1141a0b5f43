package io.hearsay.testnet.launch;

import io.hearsay.testnet.spec.ConnectionProfile;
import java.nio.file.Path;

/**
 * Where a launched network keeps its files, all under the spec's data directory, so a second launch on the same
 * directory finds its identities, genesis blocks and ledgers again:
 *
 * <pre>
 *   crypto/                        identities, as the crypto generator writes them (generated once)
 *   genesis/&lt;channel&gt;.block        each channel's genesis block (written once)
 *   orderer/orderer.yaml, chains   the orderer's config and data
 *   &lt;peer name&gt;/peer.yaml, ledgers each peer's config and data
 *   connection.json                how clients reach the network (rewritten at every launch: ports may change)
 * </pre>
 */
public record NetworkLayout(Path root) {
    public static final String PEER_CONFIG = "peer.yaml";
    public static final String ORDERER_CONFIG = "orderer.yaml";

    public NetworkLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path crypto() {
        return root.resolve("crypto");
    }

    public Path genesis(String channel) {
        return root.resolve("genesis").resolve(channel + ".block");
    }

    public Path orderer() {
        return root.resolve("orderer");
    }

    public Path ordererConfig() {
        return orderer().resolve(ORDERER_CONFIG);
    }

    public Path peer(String name) {
        return root.resolve(name);
    }

    public Path peerConfig(String name) {
        return peer(name).resolve(PEER_CONFIG);
    }

    public Path connectionProfile() {
        return root.resolve(ConnectionProfile.FILE_NAME);
    }
}
