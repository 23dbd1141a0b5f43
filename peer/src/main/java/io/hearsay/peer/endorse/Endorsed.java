package io.hearsay.peer.endorse;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.peer.Endorsement;

/**
 * One peer's endorsement of a proposal: the proposal response payload it signed (identical across endorsers of
 * the same invocation on the same state) and its signature.
 */
public record Endorsed(ByteString proposalResponsePayload, Endorsement endorsement, byte[] result) {}
