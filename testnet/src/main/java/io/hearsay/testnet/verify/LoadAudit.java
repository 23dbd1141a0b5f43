package io.hearsay.testnet.verify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.testnet.load.BankLoad;
import io.hearsay.testnet.load.TransferOutcome;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * What a bank load's client saw, held against what the peers hold once they have converged: the two checks a run
 * under faults adds to the {@link ConsistencyVerifier}'s. Every transfer whose {@code CommitStatus} the client saw
 * VALID must be VALID in every peer's chain (read through Deliver, as the verifier reads it) — a peer without one
 * lost a transaction the network had promised; and every peer's {@code bank.total()} must still be what the accounts
 * were opened with.
 *
 * <pre>
 *   client outcomes (VALID) ─┐
 *   each peer's chain, Deliver ─▶ its VALID tx ids ─▶ missing = client VALID − peer VALID
 *   each peer's Gateway: evaluate bank.total() ─▶ totals, == opened total
 * </pre>
 *
 * @param clientValid how many transfers the client saw committed VALID (a run with none proved nothing)
 * @param expectedTotal the sum of the opening balances
 * @param totals each peer's bank total, in the connection profile's order
 * @param missingValid {@code "<tx id> on <peer>"} for each VALID transfer a peer's chain lacks or marks invalid; a
 *     chain that cannot be read counts as missing them all, with the reason
 */
public record LoadAudit(long clientValid, long expectedTotal, Map<String, Long> totals, List<String> missingValid) {
    public LoadAudit {
        totals = Collections.unmodifiableMap(new LinkedHashMap<>(totals));
        missingValid = List.copyOf(missingValid);
    }

    /**
     * Audits {@code load}'s outcomes against every peer of {@code profile}, whose peers the load submitted to.
     *
     * @throws GatewayException if a peer cannot answer {@code bank.total()} within the load's call timeout
     */
    public static LoadAudit of(ConnectionProfile profile, BankLoad load, long expectedTotal,
            DeliverReadOptions options) throws GatewayException {
        Set<String> clientValid = new TreeSet<>();
        load.outcomes().stream().filter(TransferOutcome::committedValid).forEach(o -> clientValid.add(o.transactionId()));
        List<String> missing = missingValid(DeliverChainSource.forProfile(profile, load.channel(), options), clientValid);
        Map<String, Long> totals = new LinkedHashMap<>();
        for (int i = 0; i < profile.peers().size(); i++) {
            totals.put(profile.peers().get(i).peer().name(), load.total(i)); // the load numbers peers in profile order
        }
        return new LoadAudit(clientValid.size(), expectedTotal, totals, missing);
    }

    /** Every VALID transfer is on every peer, and every peer's bank holds the opened total. */
    public boolean passed() {
        return missingValid.isEmpty() && totalsUnchanged();
    }

    public boolean totalsUnchanged() {
        return totals.values().stream().allMatch(total -> total == expectedTotal);
    }

    /** {@code "<tx id> on <peer>"} for each of {@code clientValid} that a chain lacks or does not mark VALID. */
    static List<String> missingValid(List<ChainSource> chains, Set<String> clientValid) {
        List<String> missing = new ArrayList<>();
        for (ChainSource chain : chains) {
            missing.addAll(missingOn(chain, clientValid));
        }
        return missing;
    }

    private static List<String> missingOn(ChainSource source, Set<String> clientValid) {
        Set<String> onPeer;
        try {
            onPeer = validTransactionIds(source);
        } catch (RuntimeException | InvalidProtocolBufferException e) {
            return List.of("all " + clientValid.size() + " on " + source.peer() + " (its chain could not be read: " + e
                    + ")");
        }
        return clientValid.stream().filter(id -> !onPeer.contains(id)).map(id -> id + " on " + source.peer()).toList();
    }

    /** The ids of the transactions the peer's chain marks VALID. */
    private static Set<String> validTransactionIds(ChainSource source) throws InvalidProtocolBufferException {
        Set<String> ids = new TreeSet<>();
        try (ChainSource.Chain chain = source.open()) {
            while (chain.hasNext()) {
                Block block = chain.next();
                ByteString filter = block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE);
                for (int i = 0; i < block.getData().getDataCount(); i++) {
                    if (i < filter.size() && Byte.toUnsignedInt(filter.byteAt(i)) == TxValidationCode.VALID_VALUE) {
                        Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(i)).getPayload());
                        ids.add(ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId());
                    }
                }
            }
        }
        return ids;
    }
}
