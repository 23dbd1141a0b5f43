package io.hearsay.peer.endorse;

import com.google.protobuf.ByteString;
import java.util.List;
import org.hyperledger.fabric.protos.peer.Endorsement;

/**
 * Endorsements that together satisfy the chaincode's policy, all over the same proposal response payload.
 *
 * @param endorsements ordered by organisation, so the prepared transaction does not depend on which answer came first
 * @param result the contract's result from this peer's simulation
 */
public record Collected(ByteString proposalResponsePayload, List<Endorsement> endorsements, byte[] result) {}
