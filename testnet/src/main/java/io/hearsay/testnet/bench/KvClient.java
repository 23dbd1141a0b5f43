package io.hearsay.testnet.bench;

import io.grpc.ManagedChannel;
import io.hearsay.testnet.client.PeerConnections;
import io.hearsay.testnet.spec.ChannelSpec;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.SubmittedTransaction;

/**
 * The official Fabric Gateway SDK on one peer of a launched network, as an application builds it from
 * {@code connection.json}, putting keys with the built-in {@code kv} contract: each put is one transaction.
 */
final class KvClient implements AutoCloseable {
    /** Long enough for a loaded two-core machine; a call that takes longer is a failure worth reporting. */
    private static final Duration CALL = Duration.ofSeconds(15);

    private final ManagedChannel channel;
    private final Gateway gateway;
    private final Contract contract;

    KvClient(ConnectionProfile profile, String peerName, String channelName) {
        ConnectionProfile.PeerOf peer = profile.peers().stream().filter(p -> p.peer().name().equals(peerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no peer " + peerName + " in the connection profile"));
        channel = PeerConnections.grpcChannel(peer);
        long millis = CALL.toMillis();
        gateway = PeerConnections.gateway(peer.organization(), channel)
                .evaluateOptions(o -> o.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .endorseOptions(o -> o.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .submitOptions(o -> o.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .connect();
        contract = gateway.getNetwork(channelName).getContract(ChannelSpec.KV);
    }

    /**
     * Endorses and submits {@code key = value} on another thread, so the caller can watch the orderer and the peers
     * from before the block exists; completes once the orderer has accepted it (not yet committed).
     */
    CompletableFuture<SubmittedTransaction> put(String key, String value) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return contract.newProposal("put").addArguments(key, value).build().endorse().submitAsync();
            } catch (Exception e) {
                throw new CompletionException("put " + key + " failed: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        gateway.close();
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
