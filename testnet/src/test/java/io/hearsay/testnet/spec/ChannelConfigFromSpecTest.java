package io.hearsay.testnet.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.CommitResult;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.block.BlockBuilder;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.proto.ChannelConfig;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec's channel configuration is what a ledger enforces: a genesis block built from it opens a ledger, and the
 * ledger applies each contract's endorsement policy from the spec (default: kv needs any one organisation, bank a
 * majority, which of two is both).
 */
class ChannelConfigFromSpecTest {
    @TempDir
    Path directory;

    @Test
    void theLedgerEnforcesTheSpecsPoliciesPerContract() throws Exception {
        NetworkSpec spec = NetworkSpec.defaults();
        CryptoMaterial crypto = new SampleChannel(directory.resolve("crypto"), 2, 2).crypto;
        ChannelConfig config = spec.channelConfig("testchannel", crypto);
        BlockBuilder orderer = new BlockBuilder(crypto.organization("OrdererMSP").nodes().get(0).signingIdentity());
        Block genesis = orderer.genesis(config);
        SigningIdentity client = crypto.organization("Org1MSP").users().get(1).signingIdentity();
        SigningIdentity org1Peer = crypto.organization("Org1MSP").nodes().get(0).signingIdentity();

        try (Ledger ledger = Ledgers.rocks(directory.resolve("ledger"), genesis, LedgerOptions.defaults())) {
            Block block = orderer.next(genesis, List.of(
                    transaction(client, "kv", 1, org1Peer).toByteString(),
                    transaction(client, "bank", 2, org1Peer).toByteString()));
            CommitResult result = ledger.commit(block);

            assertThat(result.validationCodes())
                    .containsExactly(TxValidationCode.VALID, TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        }
        assertThat(config.getOrganizationsList()).extracting(o -> o.getMspId())
                .containsExactly("Org1MSP", "Org2MSP", "OrdererMSP");
        assertThatThrownBy(() -> spec.channelConfig("other", crypto)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no channel other in network hearsay; its channels are [testchannel]");
    }

    private static org.hyperledger.fabric.protos.common.Envelope transaction(SigningIdentity client, String contract,
            int nonce, SigningIdentity... endorsers) {
        KVRWSet writes = KVRWSet.newBuilder().addWrites(SampleChannel.write("alice", "100")).build();
        return EndorserTransactions.build("testchannel", contract, client,
                ByteString.copyFromUtf8(String.format("nonce-%018d", nonce)),
                Timestamp.newBuilder().setSeconds(1_700_000_000L).build(), List.of(ByteString.copyFromUtf8("put")),
                writes, List.of(endorsers));
    }
}
