package io.hearsay.peer.overlay;

import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.OrgSpec;
import io.hearsay.identity.OrganizationMsp;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Crypto for the overlay tests, generated once per test class: the sample channel's two organisations with
 * {@value #PEERS_PER_ORGANIZATION} peers each, and Org3MSP, an organisation the channel does not know. Every node
 * trusts all three in TLS and in its MSP directory, as a node serving another channel with Org3 would: the overlay,
 * not the handshake, must keep Org3 out of this channel's overlay.
 */
final class OverlayCrypto {
    static final int PEERS_PER_ORGANIZATION = 5;
    static final SortedSet<String> CHANNEL_ORGANIZATIONS = new TreeSet<>(List.of("Org1MSP", "Org2MSP"));

    final SampleChannel channel;
    final CryptoMaterial foreign;
    final List<OrganizationMsp> trusted = new ArrayList<>();
    final MspDirectory organizations;

    OverlayCrypto(Path directory) {
        channel = new SampleChannel(directory.resolve("channel"), 1, PEERS_PER_ORGANIZATION);
        foreign = CryptoGen.withDefaults().generate(directory.resolve("foreign"),
                List.of(OrgSpec.peers("Org3MSP", "org3.example.com", 1)));
        trusted.addAll(channel.crypto.msps());
        trusted.addAll(foreign.msps());
        organizations = new MspDirectory(trusted, InstantSource.system());
    }

    /** Peer {@code index} of {@code mspId} ("Org1MSP" or "Org2MSP"). */
    CryptoMaterial.Member peer(String mspId, int index) {
        return channel.crypto.organization(mspId).nodes().get(index);
    }

    CryptoMaterial.Member foreignPeer() {
        return foreign.organizations().get(0).nodes().get(0);
    }
}
