package io.hearsay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.BlockRejectedException.Reason;
import io.hearsay.ledger.block.BlockBuilder;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.proto.EndorsementPolicy;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ledger starts only from a self-consistent genesis block; anything else is refused with the reason. */
class GenesisTest {
    @TempDir
    static Path crypto;

    static SampleChannel channel;

    @BeforeAll
    static void create() {
        channel = new SampleChannel(crypto);
    }

    private static void assertRefused(Block genesis, Reason reason, String messagePart) {
        assertThatThrownBy(() -> Ledgers.inMemory(genesis, LedgerOptions.defaults()))
                .isInstanceOfSatisfying(BlockRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    @Test
    void genesisSignedByAPeerIsRefused() {
        assertRefused(new BlockBuilder(channel.org1Peer).genesis(channel.config), Reason.BAD_ORDERER_SIGNATURE, "OrdererMSP");
    }

    @Test
    void blockOneIsNotAGenesisBlock() {
        assertRefused(channel.next(channel.genesis, channel.put("a", "1")), Reason.BAD_CONFIG, "not a genesis block");
    }

    @Test
    void genesisWithoutAConfigEnvelopeIsRefused() {
        Block empty = channel.blocks.build(0, ByteString.EMPTY, List.of());
        assertRefused(empty, Reason.BAD_CONFIG, "exactly one CONFIG envelope");
        Block transaction = channel.blocks.build(0, ByteString.EMPTY, List.of(channel.put("a", "1").toByteString()));
        assertRefused(transaction, Reason.BAD_CONFIG, "expected CONFIG");
    }

    @Test
    void impossibleEndorsementPolicyIsRefused() {
        Block genesis = channel.blocks.genesis(channel.config.toBuilder()
                .setDefaultEndorsementPolicy(EndorsementPolicy.newBuilder().setRequired(3).addMspIds("Org1MSP")).build());
        assertRefused(genesis, Reason.BAD_CONFIG, "requires 3 of 1 organisations");
    }

    @Test
    void configWithAGarbageCaCertificateIsRefused() {
        var config = channel.config.toBuilder();
        config.setOrganizations(0, config.getOrganizations(0).toBuilder().setCaCertPem(ByteString.copyFromUtf8("not pem")));
        assertRefused(channel.blocks.genesis(config.build()), Reason.BAD_CONFIG, "unusable channel configuration");
    }

    @Test
    void validGenesisOpensAtHeightOne() throws Exception {
        try (Ledger ledger = Ledgers.inMemory(channel.genesis, LedgerOptions.defaults())) {
            assertThat(ledger.height()).isEqualTo(1);
            assertThat(ledger.transaction("genesis")).isPresent();
        }
    }
}
