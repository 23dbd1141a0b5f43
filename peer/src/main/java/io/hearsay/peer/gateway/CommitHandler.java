package io.hearsay.peer.gateway;

import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;

/** The commit half of the Gateway: answers from this peer's ledger once a transaction or block is committed here. */
public interface CommitHandler {
    void commitStatus(SignedCommitStatusRequest request, StreamObserver<CommitStatusResponse> response);

    void chaincodeEvents(SignedChaincodeEventsRequest request, StreamObserver<ChaincodeEventsResponse> response);
}
