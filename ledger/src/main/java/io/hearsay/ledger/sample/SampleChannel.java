package io.hearsay.ledger.sample;

import io.hearsay.ledger.Version;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.identity.Pem;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.block.BlockBuilder;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.proto.ChannelConfig;
import io.hearsay.proto.EndorsementPolicy;
import io.hearsay.proto.Organization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;

/**
 * A two-organisation channel with an orderer organisation, for tests, benchmarks and demos: crypto material,
 * the channel configuration ("2 of Org1MSP, Org2MSP" by default), its genesis block, and builders for
 * transactions and blocks. Nonces come from a counter, so everything it builds is reproducible.
 */
public final class SampleChannel {
    public static final String CHANNEL = "testchannel";
    public static final String CHAINCODE = "kv";

    public final CryptoMaterial crypto;
    public final ChannelConfig config;
    public final SigningIdentity orderer;
    public final SigningIdentity client;
    public final SigningIdentity org1Peer;
    public final SigningIdentity org2Peer;
    public final BlockBuilder blocks;
    public final Block genesis;
    private final AtomicLong nonces = new AtomicLong();

    public SampleChannel(Path directory) {
        this(directory, 2);
    }

    /** @param requiredEndorsements how many of the two peer organisations must endorse */
    public SampleChannel(Path directory, int requiredEndorsements) {
        this(directory, requiredEndorsements, 1);
    }

    /**
     * @param requiredEndorsements how many of the two peer organisations must endorse
     * @param peersPerOrganization peers generated in each of the two peer organisations (networks of peers)
     */
    public SampleChannel(Path directory, int requiredEndorsements, int peersPerOrganization) {
        CryptoGen generator = new CryptoGen(new SecureRandom(), Instant.now().minus(Duration.ofMinutes(1)), Duration.ofDays(30));
        crypto = generator.generate(directory, List.of(
                OrgSpec.peers("Org1MSP", "org1.example.com", peersPerOrganization),
                OrgSpec.peers("Org2MSP", "org2.example.com", peersPerOrganization),
                OrgSpec.orderers("OrdererMSP", "example.com", 1)));
        ChannelConfig.Builder builder = ChannelConfig.newBuilder()
                .setChannelId(CHANNEL)
                .setOrdererMspId("OrdererMSP")
                .setDefaultEndorsementPolicy(EndorsementPolicy.newBuilder()
                        .setRequired(requiredEndorsements).addMspIds("Org1MSP").addMspIds("Org2MSP"));
        for (CryptoMaterial.Organization organization : crypto.organizations()) {
            builder.addOrganizations(Organization.newBuilder()
                    .setMspId(organization.mspId())
                    .setCaCertPem(ByteString.copyFrom(Pem.encodeCertificate(organization.msp().caCertificate())))
                    .setTlsCaCertPem(ByteString.copyFrom(Pem.encodeCertificate(organization.msp().tlsCaCertificate()))));
        }
        config = builder.build();
        orderer = crypto.organization("OrdererMSP").nodes().get(0).signingIdentity();
        client = crypto.organization("Org1MSP").users().get(1).signingIdentity();
        org1Peer = crypto.organization("Org1MSP").nodes().get(0).signingIdentity();
        org2Peer = crypto.organization("Org2MSP").nodes().get(0).signingIdentity();
        blocks = new BlockBuilder(orderer);
        genesis = blocks.genesis(config);
    }

    public ByteString nextNonce() {
        return ByteString.copyFrom(String.format("nonce-%018d", nonces.incrementAndGet()), StandardCharsets.UTF_8);
    }

    /** A transaction endorsed by both organisations' peers. */
    public Envelope transaction(KVRWSet rwSet) {
        return transaction(rwSet, List.of(org1Peer, org2Peer));
    }

    public Envelope transaction(KVRWSet rwSet, List<SigningIdentity> endorsers) {
        return EndorserTransactions.build(CHANNEL, CHAINCODE, client, nextNonce(),
                Timestamp.newBuilder().setSeconds(1_700_000_000L).build(),
                List.of(ByteString.copyFromUtf8("put")), rwSet, endorsers);
    }

    /** Blind writes of key=value pairs (no reads). */
    public Envelope put(String... keyValues) {
        KVRWSet.Builder rwSet = KVRWSet.newBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            rwSet.addWrites(write(keyValues[i], keyValues[i + 1]));
        }
        return transaction(rwSet.build());
    }

    public static KVWrite write(String key, String value) {
        return KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
    }

    public static KVWrite delete(String key) {
        return KVWrite.newBuilder().setKey(key).setIsDelete(true).build();
    }

    /** A read of {@code key} at {@code version}, or of an absent key when {@code version} is null. */
    public static KVRead read(String key, Version version) {
        KVRead.Builder read = KVRead.newBuilder().setKey(key);
        if (version != null) {
            read.setVersion(org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version.newBuilder()
                    .setBlockNum(version.blockNumber()).setTxNum(version.transactionNumber()));
        }
        return read.build();
    }

    /**
     * A recorded range query over [{@code start}, {@code end}) that read {@code rawReads}; with {@code exhausted}
     * false the contract stopped early and {@code end} is the last key it read, as Fabric's simulator records it.
     */
    public static RangeQueryInfo range(String start, String end, boolean exhausted, KVRead... rawReads) {
        return RangeQueryInfo.newBuilder().setStartKey(start).setEndKey(end).setItrExhausted(exhausted)
                .setRawReads(QueryReads.newBuilder().addAllKvReads(List.of(rawReads))).build();
    }

    /** The block after {@code previous} holding these envelopes. */
    public Block next(Block previous, Envelope... envelopes) {
        List<ByteString> data = new ArrayList<>();
        for (Envelope envelope : envelopes) {
            data.add(envelope.toByteString());
        }
        return blocks.next(previous, data);
    }
}
