package io.hearsay.peer.gateway;

import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;

/** The endorsement half of the Gateway: run a contract (Evaluate, Endorse) and hand the signed result to the orderer (Submit). */
public interface ProposalHandler {
    void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> response);

    void endorse(EndorseRequest request, StreamObserver<EndorseResponse> response);

    void submit(SubmitRequest request, StreamObserver<SubmitResponse> response);
}
