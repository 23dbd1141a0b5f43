package io.hearsay.peer.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.IdentityException;
import io.hearsay.ledger.TransactionRecord;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.channel.ChannelRegistry;
import io.hearsay.peer.channel.TooManyWaitersException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit half of the Gateway, answered from this peer's ledger through each channel's commit feed (contract
 * notes 4.4 and 4.5).
 *
 * <p>CommitStatus answers only once the transaction is committed here — never a default response, which the client
 * would read as "VALID in block 0" (pitfall P5). The wait is a future completed by the feed, not a parked thread;
 * the client's cancellation or deadline drops it (P16).
 *
 * <p>Checks, in Fabric's order and with its codes: the request is present, parses and names a channel, a
 * transaction or chaincode, and an identity (INVALID_ARGUMENT); the channel is served here (NOT_FOUND); the
 * identity is a member of one of the channel's organisations and signed the request (PERMISSION_DENIED, Fabric's
 * {@code gateway/CommitStatus} and {@code gateway/ChaincodeEvents} ACLs, both the channel's Readers).
 */
public final class CommitGateway implements CommitHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CommitGateway.class);

    private final ChannelRegistry channels;

    public CommitGateway(ChannelRegistry channels) {
        this.channels = Objects.requireNonNull(channels, "channels");
    }

    @Override
    public void commitStatus(SignedCommitStatusRequest signed, StreamObserver<CommitStatusResponse> response) {
        ServerCallStreamObserver<CommitStatusResponse> call = (ServerCallStreamObserver<CommitStatusResponse>) response;
        CompletableFuture<TransactionRecord> committed;
        try {
            CommitStatusRequest request = parseCommitStatus(signed);
            ChannelContext channel = channel(request.getChannelId());
            authorize(channel, request.getIdentity(), signed.getRequest(), signed.getSignature(), "commit status");
            committed = channel.commits().committed(request.getTransactionId());
        } catch (StatusRuntimeException e) {
            call.onError(e);
            return;
        }
        call.setOnCancelHandler(() -> committed.cancel(false));
        committed.whenComplete((record, failure) -> answer(call, record, failure));
    }

    @Override
    public void chaincodeEvents(SignedChaincodeEventsRequest signed, StreamObserver<ChaincodeEventsResponse> response) {
        ServerCallStreamObserver<ChaincodeEventsResponse> call = (ServerCallStreamObserver<ChaincodeEventsResponse>) response;
        try {
            ChaincodeEventsRequest request = parseChaincodeEvents(signed);
            ChannelContext channel = channel(request.getChannelId());
            authorize(channel, request.getIdentity(), signed.getRequest(), signed.getSignature(), "chaincode events");
            Optional<TransactionRecord> after = request.getAfterTransactionId().isEmpty()
                    ? Optional.empty()
                    : channel.ledger().transaction(request.getAfterTransactionId());
            long startBlock = after.map(TransactionRecord::blockNumber)
                    .orElseGet(() -> request.getStartPosition().hasSpecified()
                            ? request.getStartPosition().getSpecified().getNumber()
                            : channel.ledger().height());
            new ChaincodeEventStream(call, channel, request.getChaincodeId(),
                    after.map(TransactionRecord::transactionId).orElse(null)).start(startBlock);
        } catch (StatusRuntimeException e) {
            call.onError(e);
        }
    }

    private static void answer(ServerCallStreamObserver<CommitStatusResponse> call, TransactionRecord record,
            Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CancellationException || call.isCancelled()) {
            return; // the client went away; nobody to answer
        }
        try {
            if (cause instanceof TooManyWaitersException) {
                call.onError(GatewayErrors.error(Status.Code.RESOURCE_EXHAUSTED, cause.getMessage()));
            } else if (cause != null) {
                LOG.warn("commit status of a transaction failed", cause);
                call.onError(GatewayErrors.error(Status.Code.UNAVAILABLE,
                        "cannot tell the transaction's commit status: " + cause.getMessage()));
            } else {
                call.onNext(CommitStatusResponse.newBuilder()
                        .setResult(record.validationCode())
                        .setBlockNumber(record.blockNumber())
                        .build());
                call.onCompleted();
            }
        } catch (IllegalStateException e) {
            // Cancelled between the check and the answer: the call is already closed.
        }
    }

    private static CommitStatusRequest parseCommitStatus(SignedCommitStatusRequest signed) {
        if (signed.getRequest().isEmpty()) {
            throw invalid("the commit status request is empty");
        }
        CommitStatusRequest request;
        try {
            request = CommitStatusRequest.parseFrom(signed.getRequest());
        } catch (InvalidProtocolBufferException e) {
            throw invalid("the commit status request does not parse: " + e.getMessage());
        }
        requireField(request.getTransactionId(), "transaction_id", "commit status");
        requireField(request.getChannelId(), "channel_id", "commit status");
        requireField(request.getIdentity(), "identity", "commit status");
        return request;
    }

    private static ChaincodeEventsRequest parseChaincodeEvents(SignedChaincodeEventsRequest signed) {
        if (signed.getRequest().isEmpty()) {
            throw invalid("the chaincode events request is empty");
        }
        ChaincodeEventsRequest request;
        try {
            request = ChaincodeEventsRequest.parseFrom(signed.getRequest());
        } catch (InvalidProtocolBufferException e) {
            throw invalid("the chaincode events request does not parse: " + e.getMessage());
        }
        requireField(request.getChannelId(), "channel_id", "chaincode events");
        requireField(request.getChaincodeId(), "chaincode_id", "chaincode events");
        requireField(request.getIdentity(), "identity", "chaincode events");
        SeekPosition start = request.getStartPosition();
        switch (start.getTypeCase()) {
            case NEXT_COMMIT, TYPE_NOT_SET -> { }
            case SPECIFIED -> {
                if (start.getSpecified().getNumber() < 0) {
                    throw invalid("the start block " + Long.toUnsignedString(start.getSpecified().getNumber())
                            + " is beyond any ledger");
                }
            }
            default -> throw invalid("chaincode events start at a given block or at the next commit, not at "
                    + start.getTypeCase().name().toLowerCase());
        }
        return request;
    }

    private ChannelContext channel(String channelId) {
        return channels.channel(channelId).orElseThrow(() -> GatewayErrors.error(Status.Code.NOT_FOUND,
                "channel '" + channelId + "' is not served by this peer; it serves " + channels.channelIds()));
    }

    private static void authorize(ChannelContext channel, ByteString identity, ByteString request, ByteString signature,
            String what) {
        try {
            channel.organizations().verify(identity, request, signature.toByteArray());
        } catch (IdentityException e) {
            throw GatewayErrors.error(Status.Code.PERMISSION_DENIED, "the " + what + " request is refused on channel '"
                    + channel.channelId() + "': " + e.getMessage());
        }
    }

    private static void requireField(String value, String field, String what) {
        if (value.isEmpty()) {
            throw invalid("the " + what + " request has no " + field);
        }
    }

    private static void requireField(ByteString value, String field, String what) {
        if (value.isEmpty()) {
            throw invalid("the " + what + " request has no " + field);
        }
    }

    private static StatusRuntimeException invalid(String message) {
        return GatewayErrors.error(Status.Code.INVALID_ARGUMENT, message);
    }
}
