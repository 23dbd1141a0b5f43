package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.AuthenticatedChannel.Drop;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.identity.SigningIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integrity rules with real ECDSA P-256 signatures in the simulator: peers converge with every message
 * signed and verified, while forged and misattributed messages are dropped by reason before the protocol
 * sees them.
 */
class IntegritySimulationTest {
    @Test
    void realSignaturesConvergeAndForgeriesAreDropped(@TempDir Path crypto) {
        long seed = 101;
        int peers = 8;
        CryptoMaterial material = CryptoGen.withDefaults().generate(crypto,
                List.of(OrgSpec.peers("Org1MSP", "org1.example.com", peers)));
        List<SigningIdentity> members = material.organization("Org1MSP").nodes().stream()
                .map(CryptoMaterial.Member::signingIdentity).toList();
        AtomicReference<BlockSimulation> holder = new AtomicReference<>();
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(peers, 3, BlockGossipConfig.lan(),
                LinkModel.lan(), 2048, 5, 200, seed,
                (peer, id) -> new EcdsaAuthenticator(members.get(peer),
                        pkiId -> Optional.of(members.get(holder.get().indexOf(pkiId)).identity()))));
        holder.set(simulation);

        assertThat(simulation.run(30_000).converged()).as("SEED=%d converged with ECDSA", seed).isTrue();

        BlockMessage lie = new BlockMessage.Heartbeat(1_000_000, ByteString.copyFrom(new byte[32]), false);
        long heightBefore = simulation.height(4);
        simulation.channel(4).onMessage(simulation.id(3), new SignedMessage<>(simulation.id(3), Long.MAX_VALUE / 2, lie,
                new byte[] {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01}));
        simulation.channel(4).onMessage(simulation.id(3), new SignedMessage<>(simulation.id(2), Long.MAX_VALUE / 2, lie,
                new byte[8]));
        assertThat(simulation.channel(4).drops(Drop.BAD_SIGNATURE)).as("SEED=%d", seed).isEqualTo(1);
        assertThat(simulation.channel(4).drops(Drop.SIGNER_MISMATCH)).as("SEED=%d", seed).isEqualTo(1);
        simulation.advance(5_000);
        assertThat(simulation.height(4)).as("the lie changed nothing").isEqualTo(heightBefore);
        assertThat(simulation.gossip(4).counters().get(io.hearsay.gossip.block.GossipCounters.Counter.RANGE_REQUESTS_SENT))
                .as("no repair was started for the forged height claim").isZero();
    }
}
