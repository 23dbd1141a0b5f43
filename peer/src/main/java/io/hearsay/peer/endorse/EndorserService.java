package io.hearsay.peer.endorse;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hearsay.peer.gateway.GatewayErrors;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's {@code protos.Endorser/ProcessProposal}: how the gateway peer of one organisation asks this peer to
 * endorse a client's proposal for its own organisation. The client's signed proposal travels unchanged, so this
 * peer runs every check itself; a refused proposal is a gRPC error with the check's code, a contract error a
 * response with status 500 (Fabric's endorser), both answered without storing anything.
 *
 * <p>The work runs on {@code executor}, never on the gRPC thread.
 */
public final class EndorserService extends EndorserGrpc.EndorserImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(EndorserService.class);

    private final ProposalChecker checker;
    private final LocalEndorser endorser;
    private final Executor executor;

    public EndorserService(ProposalChecker checker, LocalEndorser endorser, Executor executor) {
        this.checker = checker;
        this.endorser = endorser;
        this.executor = executor;
    }

    @Override
    public void processProposal(SignedProposal request, StreamObserver<ProposalResponse> response) {
        if (response instanceof ServerCallStreamObserver<ProposalResponse> call) {
            // The asking peer may give up (its deadline); answering then is simply discarded instead of throwing.
            call.setOnCancelHandler(() -> { });
        }
        try {
            executor.execute(() -> process(request, response));
        } catch (RejectedExecutionException e) {
            response.onError(GatewayErrors.error(Status.Code.UNAVAILABLE,
                    "this peer is shutting down or overloaded; try another peer of " + endorser.mspId()));
        }
    }

    private void process(SignedProposal request, StreamObserver<ProposalResponse> response) {
        ProposalResponse answer;
        try {
            answer = endorser.respond(checker.check(request, null, null));
        } catch (ProposalRejectedException e) {
            response.onError(GatewayErrors.error(e.code(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.warn("ProcessProposal failed unexpectedly", e);
            response.onError(GatewayErrors.error(Status.Code.INTERNAL, "endorsement failed on this peer: " + e));
            return;
        }
        response.onNext(answer);
        response.onCompleted();
    }
}
