package io.hearsay.testnet.launch;

import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.block.BlockBuilder;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.support.WorkDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;

/**
 * What a network is before any node runs: its identities and each channel's genesis block. Both are created on the
 * first launch only; later launches read them back, because new identities or a new genesis block would no longer
 * match the ledgers already on disk. Each is written under a temporary name and moved into place, so a launch killed
 * half way never leaves material that looks complete.
 *
 * @param crypto every organisation's identities
 * @param genesisFiles channel name → its genesis block file, in spec order
 * @param created whether this launch generated the crypto material (false: resumed)
 */
public record NetworkMaterial(CryptoMaterial crypto, Map<String, Path> genesisFiles, boolean created) {

    public NetworkMaterial {
        genesisFiles = Collections.unmodifiableMap(new LinkedHashMap<>(genesisFiles));
    }

    /** Reads the material under {@code layout}, generating whatever is missing. */
    public static NetworkMaterial prepare(NetworkSpec spec, NetworkLayout layout) {
        boolean created = !Files.isDirectory(layout.crypto());
        CryptoMaterial crypto = created ? generate(spec, layout.crypto()) : load(spec, layout.crypto());
        SigningIdentity ordererIdentity = crypto.organization(spec.orderer().mspId()).nodes().get(0).signingIdentity();
        BlockBuilder blocks = new BlockBuilder(ordererIdentity);
        Map<String, Path> genesis = new LinkedHashMap<>();
        for (String channel : spec.channelNames()) {
            Path file = layout.genesis(channel);
            if (!Files.exists(file)) {
                Block block = blocks.genesis(spec.channelConfig(channel, crypto));
                writeAtomically(file, block.toByteArray());
            }
            genesis.put(channel, file);
        }
        return new NetworkMaterial(crypto, genesis, created);
    }

    private static CryptoMaterial generate(NetworkSpec spec, Path root) {
        Path partial = root.resolveSibling(root.getFileName() + ".partial");
        try {
            if (Files.exists(partial)) {
                WorkDirectory.deleteRecursively(partial); // left by a launch that was killed while generating
            }
            CryptoGen.withDefaults().generate(partial, spec.cryptoSpecs());
            Files.move(partial, root, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the crypto material in " + root + ": " + e.getMessage(), e);
        }
        return load(spec, root);
    }

    private static CryptoMaterial load(NetworkSpec spec, Path root) {
        try {
            return CryptoMaterial.load(root, spec.cryptoSpecs());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the crypto material in " + root + " does not match this spec (" + e.getMessage()
                    + "); launch it with a new data directory, or delete " + root.getParent() + " to start afresh", e);
        }
    }

    static void writeAtomically(Path file, byte[] content) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.write(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
