package io.hearsay.peer.gateway;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.channel.CommitFeed;
import io.hearsay.peer.channel.CommittedTransaction;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;

/**
 * One ChaincodeEvents call: a commit-feed subscription from the start block that turns each block into at most
 * one response, holding the chaincode's events from the block's VALID transactions in transaction order (pitfall
 * P20). Blocks without a matching event send nothing. After the last committed block the call stays open and new
 * blocks are sent as they commit.
 *
 * <p>Resuming after a transaction (a checkpoint): every transaction up to and including {@code afterTransactionId}
 * is skipped. The caller passes that id only when the ledger holds it and starts at its block, so unlike Fabric
 * (pitfall P21) an unknown id never silences the stream: it is ignored and the stream starts at the requested
 * block.
 *
 * <p>Flow control: a block is handed over only while the client keeps up ({@code isReady}); otherwise the feed
 * pauses until gRPC says the stream is ready again. The client's cancellation closes the subscription.
 */
final class ChaincodeEventStream implements CommitFeed.BlockSink {
    private final ServerCallStreamObserver<ChaincodeEventsResponse> call;
    private final ChannelContext channel;
    private final String chaincodeId;
    /** Still skipping transactions until this one has passed; null once past it (or when not resuming). */
    private String skipThrough;
    private volatile CommitFeed.Subscription subscription;
    private boolean ended;

    ChaincodeEventStream(ServerCallStreamObserver<ChaincodeEventsResponse> call, ChannelContext channel,
            String chaincodeId, String skipThrough) {
        this.call = call;
        this.channel = channel;
        this.chaincodeId = chaincodeId;
        this.skipThrough = skipThrough;
    }

    /** Subscribes from {@code startBlock}; call on the gRPC thread that handles the request, before it returns. */
    void start(long startBlock) {
        // Both handlers run on the call's serialised executor, after this method returned, so they see the field.
        call.setOnCancelHandler(this::close);
        call.setOnReadyHandler(() -> {
            CommitFeed.Subscription current = subscription;
            if (current != null) {
                current.resume();
            }
        });
        subscription = channel.commits().subscribe(startBlock, this);
    }

    @Override
    public boolean accept(Block block) {
        if (call.isCancelled()) {
            close();
            return false;
        }
        List<ChaincodeEvent> events = matchingEvents(block);
        if (!events.isEmpty()) {
            synchronized (this) {
                if (ended) {
                    return false;
                }
                call.onNext(ChaincodeEventsResponse.newBuilder()
                        .setBlockNumber(block.getHeader().getNumber())
                        .addAllEvents(events)
                        .build());
            }
        }
        return call.isReady();
    }

    @Override
    public void closed(String reason) {
        synchronized (this) {
            if (ended || call.isCancelled()) {
                return;
            }
            ended = true;
            call.onError(GatewayErrors.error(Status.Code.UNAVAILABLE, "chaincode events of channel '"
                    + channel.channelId() + "' stopped: " + reason));
        }
    }

    private List<ChaincodeEvent> matchingEvents(Block block) {
        List<ChaincodeEvent> events = new ArrayList<>();
        for (CommittedTransaction transaction : CommittedTransaction.of(block)) {
            if (skipThrough != null) {
                if (skipThrough.equals(transaction.transactionId())) {
                    skipThrough = null;
                }
                continue;
            }
            if (!transaction.valid()) {
                continue;
            }
            for (ChaincodeEvent event : transaction.events()) {
                if (chaincodeId.equals(event.getChaincodeId())) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    private void close() {
        synchronized (this) {
            ended = true;
        }
        CommitFeed.Subscription current = subscription;
        if (current != null) {
            current.close();
        }
    }
}
