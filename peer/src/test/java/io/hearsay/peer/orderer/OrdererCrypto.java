package io.hearsay.peer.orderer;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.channel.CommitFeed;
import io.hearsay.peer.transport.TlsCredentials;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;

/**
 * Crypto for the orderer tests, generated once per test class: the sample channel (Org1MSP, Org2MSP and the
 * orderer's OrdererMSP) and an organisation the channel has never heard of, Org3MSP.
 */
final class OrdererCrypto {
    final SampleChannel channel;
    final CryptoMaterial foreign;

    OrdererCrypto(Path directory) {
        channel = new SampleChannel(directory.resolve("channel"));
        foreign = CryptoGen.withDefaults().generate(directory.resolve("foreign"),
                List.of(OrgSpec.peers("Org3MSP", "org3.example.com", 1)));
    }

    CryptoMaterial.Member ordererNode() {
        return channel.crypto.organization("OrdererMSP").nodes().get(0);
    }

    CryptoMaterial.Member org1Peer() {
        return channel.crypto.organization("Org1MSP").nodes().get(0);
    }

    TlsCredentials tls(CryptoMaterial.Member member) {
        return TlsCredentials.of(member, channel.crypto.msps());
    }

    SigningIdentity foreignUser() {
        return foreign.organization("Org3MSP").admin().signingIdentity();
    }

    /** A kv transaction endorsed by both organisations, signed by the channel's client, stamped now. */
    Envelope put(String key, String value) {
        return transaction(SampleChannel.CHANNEL, channel.client, Instant.now(), key, value);
    }

    Envelope transaction(String channelId, SigningIdentity creator, Instant timestamp, String key, String value) {
        KVRWSet rwSet = KVRWSet.newBuilder().addWrites(SampleChannel.write(key, value)).build();
        return EndorserTransactions.build(channelId, SampleChannel.CHAINCODE, creator, channel.nextNonce(),
                Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond()).setNanos(timestamp.getNano()).build(),
                List.of(ByteString.copyFromUtf8("put")), rwSet, List.of(channel.org1Peer, channel.org2Peer));
    }

    /** A feed for tests that do not serve Deliver (OrdererBlockIntakeGrpcTest wires the real one). */
    static CommitFeed noFeed() {
        return new CommitFeed() {
            @Override
            public Subscription subscribe(long from, BlockSink sink) {
                throw new UnsupportedOperationException("not used in these tests");
            }

            @Override
            public CompletableFuture<io.hearsay.ledger.TransactionRecord> committed(String transactionId) {
                throw new UnsupportedOperationException("not used in these tests");
            }
        };
    }
}
