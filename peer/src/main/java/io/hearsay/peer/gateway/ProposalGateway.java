package io.hearsay.peer.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.IdentityException;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.validation.CanonicalEncoding;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.channel.ChannelRegistry;
import io.hearsay.peer.contract.ContractException;
import io.hearsay.peer.contract.SimulationResult;
import io.hearsay.peer.endorse.CheckedProposal;
import io.hearsay.peer.endorse.Collected;
import io.hearsay.peer.endorse.EndorsementCollector;
import io.hearsay.peer.endorse.EndorsementFailedException;
import io.hearsay.peer.endorse.LocalEndorser;
import io.hearsay.peer.endorse.ProposalChecker;
import io.hearsay.peer.endorse.ProposalRejectedException;
import io.hearsay.peer.orderer.OrdererClient;
import io.hearsay.peer.orderer.OrdererException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * The endorsement half of Fabric's Gateway ({@code shared/reference/fabric-gateway-contract.md} 4.1–4.3):
 * <pre>
 *  Evaluate: check proposal → simulate here                         → Response{200, result}
 *  Endorse:  check proposal → endorse here + other orgs (collector) → unsigned prepared Envelope
 *            (the orgs the client named in endorsing_organizations, if any, else those the policy needs)
 *  Submit:   signed Envelope → verify client signature → orderer.broadcast → SubmitResponse{}
 * </pre>
 * Errors are gRPC statuses with Fabric's codes and {@code ErrorDetail}s, never a {@code Response{500}} the client
 * would read as success (pitfall P4). Each call is handed to {@code executor} at once; nothing waits on a gRPC
 * thread, and remote endorsements and the orderer answer through futures.
 */
public final class ProposalGateway implements ProposalHandler {
    /** Fabric's wording, which clients and operators recognise. */
    private static final String ENDORSEMENT_FAILED =
            "failed to collect enough transaction endorsements, see attached details for more info";
    /** The orderer has no address of its own in {@link OrdererClient}; its error details say this instead. */
    private static final String ORDERER_ADDRESS = "orderer";

    private final ChannelRegistry channels;
    private final ProposalChecker checker;
    private final EndorsementCollector collector;
    private final OrdererClient orderer;
    private final Executor executor;
    private final ProposalGatewayConfig config;

    /**
     * @param collector also supplies this peer's {@link LocalEndorser}
     * @param executor runs every call's checks, simulation and signing; sized for the CPU, not per request
     */
    public ProposalGateway(ChannelRegistry channels, ProposalChecker checker, EndorsementCollector collector,
            OrdererClient orderer, Executor executor, ProposalGatewayConfig config) {
        this.channels = channels;
        this.checker = checker;
        this.collector = collector;
        this.orderer = orderer;
        this.executor = executor;
        this.config = config;
    }

    @Override
    public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> response) {
        ProposalCall<EvaluateResponse> call = new ProposalCall<>("Evaluate", response);
        offload(call, () -> {
            CheckedProposal proposal = check(call, request.getProposedTransaction(), request.getTransactionId(),
                    request.getChannelId());
            if (proposal == null) {
                return;
            }
            LocalEndorser local = collector.local();
            SimulationResult simulation;
            try {
                simulation = local.simulate(proposal);
            } catch (ContractException e) {
                call.fail(GatewayErrors.error(Status.Code.UNKNOWN,
                        "evaluate call to endorser returned error: chaincode response 500, " + e.getMessage(),
                        List.of(GatewayErrors.detail(local.address(), local.mspId(), "chaincode response 500, " + e.getMessage()))));
                return;
            }
            call.succeed(EvaluateResponse.newBuilder()
                    .setResult(Response.newBuilder().setStatus(200).setPayload(ByteString.copyFrom(simulation.result())))
                    .build());
        });
    }

    @Override
    public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> response) {
        ProposalCall<EndorseResponse> call = new ProposalCall<>("Endorse", response);
        offload(call, () -> {
            CheckedProposal proposal = check(call, request.getProposedTransaction(), request.getTransactionId(),
                    request.getChannelId());
            if (proposal == null) {
                return;
            }
            // The client may name the endorsing organisations (setEndorsingOrganizations); then they, not the policy, decide.
            collector.collect(proposal, request.getEndorsingOrganizationsList()).whenComplete((collected, failure) -> {
                if (failure == null) {
                    call.succeed(EndorseResponse.newBuilder().setPreparedTransaction(prepare(proposal, collected)).build());
                } else if (unwrap(failure) instanceof EndorsementFailedException e) {
                    call.fail(GatewayErrors.error(Status.Code.ABORTED, ENDORSEMENT_FAILED, e.details()));
                } else if (unwrap(failure) instanceof EndorsementCollector.OrganizationsUnavailableException e) {
                    call.fail(GatewayErrors.error(Status.Code.UNAVAILABLE, e.getMessage(), e.details()));
                } else {
                    call.failUnexpectedly(unwrap(failure));
                }
            });
        });
    }

    /** Steps 1–9 of the reference's 4.2: the proposal's own header bytes, and no signature (pitfall P7). */
    private static Envelope prepare(CheckedProposal proposal, Collected collected) {
        Payload payload = EndorserTransactions.transactionPayload(proposal.header(), proposal.invocation(),
                collected.proposalResponsePayload(), collected.endorsements());
        return Envelope.newBuilder().setPayload(payload.toByteString()).build();
    }

    @Override
    public void submit(SubmitRequest request, StreamObserver<SubmitResponse> response) {
        ProposalCall<SubmitResponse> call = new ProposalCall<>("Submit", response);
        offload(call, () -> {
            Optional<ChannelContext> channel = checkSubmission(call, request);
            if (channel.isEmpty()) {
                return;
            }
            String ordererMspId = channel.get().ledger().config().getOrdererMspId();
            CompletableFuture<Void> accepted;
            try {
                accepted = orderer.broadcast(request.getPreparedTransaction()).copy()
                        .orTimeout(config.broadcastTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                accepted = CompletableFuture.failedFuture(e);
            }
            accepted.whenComplete((ignored, failure) -> {
                if (failure == null) {
                    call.succeed(SubmitResponse.getDefaultInstance());
                } else {
                    call.fail(ordererError(unwrap(failure), ordererMspId));
                }
            });
        });
    }

    /** The submitted envelope's channel if it may go to the orderer; otherwise the call has been failed. */
    private Optional<ChannelContext> checkSubmission(ProposalCall<SubmitResponse> call, SubmitRequest request) {
        Envelope envelope = request.getPreparedTransaction();
        if (envelope.getPayload().isEmpty()) {
            call.fail(GatewayErrors.error(Status.Code.INVALID_ARGUMENT, "a prepared transaction is required; send the envelope Endorse returned"));
            return Optional.empty();
        }
        if (envelope.getSignature().isEmpty()) {
            call.fail(GatewayErrors.error(Status.Code.INVALID_ARGUMENT, "prepared transaction must be signed"));
            return Optional.empty();
        }
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        try {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            call.fail(GatewayErrors.error(Status.Code.INVALID_ARGUMENT, "the prepared transaction does not parse: " + e.getMessage()));
            return Optional.empty();
        }
        String canonicalProblem = CanonicalEncoding.problem(envelope.toByteString());
        if (canonicalProblem != null) {
            call.fail(GatewayErrors.error(Status.Code.INVALID_ARGUMENT, "the prepared transaction " + canonicalProblem
                    + "; submit the payload exactly as Endorse returned it"));
            return Optional.empty();
        }
        if (!request.getTransactionId().isEmpty() && !request.getTransactionId().equals(channelHeader.getTxId())) {
            call.fail(GatewayErrors.error(Status.Code.INVALID_ARGUMENT, "the request's transaction id '"
                    + request.getTransactionId() + "' differs from the prepared transaction's '" + channelHeader.getTxId() + "'"));
            return Optional.empty();
        }
        // Pitfall P9: the envelope's channel header decides the channel, not the request's field.
        Optional<ChannelContext> channel = channels.channel(channelHeader.getChannelId());
        if (channel.isEmpty()) {
            call.fail(GatewayErrors.error(Status.Code.NOT_FOUND, "this peer does not serve channel '"
                    + channelHeader.getChannelId() + "'; it serves " + channels.channelIds()));
            return Optional.empty();
        }
        try {
            channel.get().organizations().verify(signatureHeader.getCreator(), envelope.getPayload(),
                    envelope.getSignature().toByteArray());
        } catch (IdentityException e) {
            // What Fabric's orderer would answer; the gateway reports an orderer refusal as ABORTED.
            String ordererMspId = channel.get().ledger().config().getOrdererMspId();
            String message = "received unsuccessful response from orderer: status=FORBIDDEN, info=the transaction's "
                    + "creator signature is not valid: " + e.getMessage();
            call.fail(GatewayErrors.error(Status.Code.ABORTED, message,
                    List.of(GatewayErrors.detail(ORDERER_ADDRESS, ordererMspId, message))));
            return Optional.empty();
        }
        return channel;
    }

    private static io.grpc.StatusRuntimeException ordererError(Throwable failure, String ordererMspId) {
        if (failure instanceof TimeoutException) {
            return GatewayErrors.error(Status.Code.DEADLINE_EXCEEDED, "the orderer did not accept the transaction in time; "
                    + "it may still be ordered, so check its commit status before resubmitting");
        }
        if (failure instanceof OrdererException e && e.unreachable()) {
            String message = "no orderer reachable: " + e.getMessage();
            return GatewayErrors.error(Status.Code.UNAVAILABLE, message,
                    List.of(GatewayErrors.detail(ORDERER_ADDRESS, ordererMspId, message)));
        }
        if (failure instanceof OrdererException e) {
            String message = "received unsuccessful response from orderer: status=" + e.status() + ", info=" + e.getMessage();
            return GatewayErrors.error(Status.Code.ABORTED, message,
                    List.of(GatewayErrors.detail(ORDERER_ADDRESS, ordererMspId, message)));
        }
        String message = "failed to send the transaction to the orderer: " + failure;
        return GatewayErrors.error(Status.Code.UNAVAILABLE, message,
                List.of(GatewayErrors.detail(ORDERER_ADDRESS, ordererMspId, message)));
    }

    /** Checks the proposal; on refusal fails the call with the check's code and returns null. */
    private CheckedProposal check(ProposalCall<?> call, SignedProposal signed, String transactionId, String channelId) {
        try {
            // Empty request fields mean "not given": only a value that contradicts the signed header is refused.
            return checker.check(signed, transactionId.isEmpty() ? null : transactionId, channelId.isEmpty() ? null : channelId);
        } catch (ProposalRejectedException e) {
            call.fail(GatewayErrors.error(e.code(), e.getMessage()));
            return null;
        }
    }

    private void offload(ProposalCall<?> call, Runnable work) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    call.failUnexpectedly(e);
                }
            });
        } catch (RejectedExecutionException e) {
            call.fail(GatewayErrors.error(Status.Code.UNAVAILABLE, "this peer is shutting down or overloaded; try another peer"));
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
