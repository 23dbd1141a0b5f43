package io.hearsay.peer.gateway;

import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;

/**
 * Fabric's {@code gateway.Gateway} service, the one the official Fabric Gateway SDK calls. It only routes: the
 * endorsement half and the commit half are separate components with separate inputs (the contracts and the
 * orderer; the committed ledger).
 */
public final class GatewayService extends GatewayGrpc.GatewayImplBase {
    private final ProposalHandler proposals;
    private final CommitHandler commits;

    public GatewayService(ProposalHandler proposals, CommitHandler commits) {
        this.proposals = proposals;
        this.commits = commits;
    }

    @Override
    public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> response) {
        proposals.evaluate(request, response);
    }

    @Override
    public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> response) {
        proposals.endorse(request, response);
    }

    @Override
    public void submit(SubmitRequest request, StreamObserver<SubmitResponse> response) {
        proposals.submit(request, response);
    }

    @Override
    public void commitStatus(SignedCommitStatusRequest request, StreamObserver<CommitStatusResponse> response) {
        commits.commitStatus(request, response);
    }

    @Override
    public void chaincodeEvents(SignedChaincodeEventsRequest request, StreamObserver<ChaincodeEventsResponse> response) {
        commits.chaincodeEvents(request, response);
    }
}
