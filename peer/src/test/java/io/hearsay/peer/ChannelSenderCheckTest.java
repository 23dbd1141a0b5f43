package io.hearsay.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.StaticMembership;
import io.hearsay.gossip.auth.Codecs;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.OrgSpec;
import io.hearsay.identity.OrganizationMsp;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.peer.wire.BlockWire;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel hears only the peers of its own organisations. The node here trusts Org3MSP too (TLS and MSPs: it could
 * serve another channel with it), so an Org3 peer completes the handshake; but a genuinely signed gossip message it
 * sends on the sample channel (Org1 and Org2 only) is dropped by the authentication layer as of an unknown
 * organisation, before its signature is even checked, while the same message from an Org2 peer is verified and taken.
 */
class ChannelSenderCheckTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path directory;
    private final NodeResources resources = new NodeResources(2);
    private final List<GossipPeer> peers = new ArrayList<>();
    private SampleChannel channel;
    private CryptoMaterial foreign;
    private MspDirectory organizations;
    private List<OrganizationMsp> trusted;
    private Ledger ledger;

    @BeforeEach
    void crypto() {
        channel = new SampleChannel(directory.resolve("channel"), 1, 1);
        foreign = CryptoGen.withDefaults().generate(directory.resolve("foreign"),
                List.of(OrgSpec.peers("Org3MSP", "org3.example.com", 1)));
        trusted = new ArrayList<>(channel.crypto.msps());
        trusted.addAll(foreign.msps());
        organizations = new MspDirectory(trusted, InstantSource.system());
    }

    @AfterEach
    void stop() {
        peers.forEach(GossipPeer::close);
        if (ledger != null) {
            ledger.close();
        }
        resources.close();
    }

    @Test
    void aMessageFromAnOrganizationOutsideTheChannelIsDroppedWithItsReason() throws Exception {
        CryptoMaterial.Member org1 = channel.crypto.organization("Org1MSP").nodes().get(0);
        ledger = Ledgers.rocks(directory.resolve("ledger"), channel.genesis, LedgerOptions.defaults());
        GossipPeer receiver = started(GossipPeer.start(GossipPeer.Settings.lan("receiver"), org1.signingIdentity(),
                TlsCredentials.of(org1, trusted), organizations, ledger, resources, BlockGossipListener.NONE));
        ChannelGossip gossip = receiver.channel(SampleChannel.CHANNEL).orElseThrow();
        GossipPeer member = sender(channel.crypto.organization("Org2MSP").nodes().get(0), receiver);
        GossipPeer outsider = sender(foreign.organizations().get(0).nodes().get(0), receiver);

        send(member, channel.crypto.organization("Org2MSP").nodes().get(0).signingIdentity(), receiver);
        await().atMost(WAIT).until(() -> gossip.verificationsPassed() >= 1);
        assertThat(unknownOrganization(receiver)).isZero();

        send(outsider, foreign.organizations().get(0).nodes().get(0).signingIdentity(), receiver);
        await().atMost(WAIT).until(() -> unknownOrganization(receiver) == 1);
        assertThat(gossip.verificationsFailed()).isZero();
        assertThat(gossip.verificationsPassed()).isEqualTo(1);
        // The node keeps serving: the member is still heard.
        send(member, channel.crypto.organization("Org2MSP").nodes().get(0).signingIdentity(), receiver);
        await().atMost(WAIT).until(() -> gossip.verificationsPassed() == 2);
    }

    private static long unknownOrganization(GossipPeer receiver) {
        return receiver.drops().getOrDefault(AuthenticatedChannel.Drop.UNKNOWN_ORGANIZATION, 0L);
    }

    private GossipPeer started(GossipPeer peer) {
        peers.add(peer);
        return peer;
    }

    /** A node with no channel, trusting all three organisations, connected to {@code receiver}. */
    private GossipPeer sender(CryptoMaterial.Member member, GossipPeer receiver) {
        GossipPeer peer = started(GossipPeer.start(GossipPeer.Settings.lan(member.name()), member.signingIdentity(),
                TlsCredentials.of(member, trusted), organizations, resources, List.of(), 4 * 1024 * 1024));
        peer.connect(receiver.id(), "127.0.0.1", receiver.port());
        await().atMost(WAIT).until(() -> peer.network().isConnected(receiver.id()));
        return peer;
    }

    /** A heartbeat on the sample channel, signed as a channel member signs gossip. */
    private static void send(GossipPeer from, SigningIdentity identity, GossipPeer to) {
        PkiId self = identity.pkiId();
        List<SignedMessage<BlockMessage>> captured = new ArrayList<>();
        Membership nobody = new StaticMembership(self, PeerSet.empty(), Map.of(self, identity.mspId()));
        new AuthenticatedChannel<>(self, new EcdsaAuthenticator(identity, peer -> Optional.empty()),
                Codecs.blocks(SampleChannel.CHANNEL), nobody, () -> 0, IntegrityConfig.defaults(),
                (target, signed) -> captured.add(signed), (sender, message) -> { }, (sender, reason) -> { },
                System.currentTimeMillis() * 1000).transport()
                .send(to.id(), new BlockMessage.Heartbeat(1, ByteString.copyFrom(new byte[32]), false));
        assertThat(from.network().send(to.id(), BlockWire.encode(SampleChannel.CHANNEL, captured.get(0)), false)).isTrue();
    }
}
