package io.hearsay.peer.endorse;

import com.google.protobuf.ByteString;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.peer.contract.ContractException;
import io.hearsay.peer.contract.ContractSimulator;
import io.hearsay.peer.contract.Invocation;
import io.hearsay.peer.contract.SimulationResult;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * This peer's endorser: runs a checked proposal's contract against the channel's committed state and signs the
 * outcome with the peer's identity. Runs on the caller's thread (simulation reads the ledger, signing is one
 * ECDSA operation), so callers put it on their worker executor, never on a gRPC thread.
 */
public final class LocalEndorser {
    /** Fabric's {@code ProposalResponse.version}. */
    private static final int PROPOSAL_RESPONSE_VERSION = 1;

    private final SigningIdentity peer;
    private final String address;

    /**
     * @param peer the identity endorsements are signed with (a peer of its organisation)
     * @param address this peer's {@code host:port}, named in error details
     */
    public LocalEndorser(SigningIdentity peer, String address) {
        this.peer = peer;
        this.address = address;
    }

    public String mspId() {
        return peer.mspId();
    }

    public String address() {
        return address;
    }

    /** Runs the contract without signing anything: Evaluate. */
    public SimulationResult simulate(CheckedProposal proposal) throws ContractException {
        Invocation invocation = new Invocation(proposal.transactionId(), proposal.creator(), proposal.function(),
                proposal.args());
        return ContractSimulator.simulate(proposal.channel().ledger(), proposal.contract(), invocation);
    }

    /** Runs the contract and endorses its read-write set, event and result: Endorse. */
    public Endorsed endorse(CheckedProposal proposal) throws ContractException {
        SimulationResult simulation = simulate(proposal);
        ByteString events = simulation.event().map(ChaincodeEvent::toByteString).orElse(ByteString.EMPTY);
        ProposalResponsePayload payload = EndorserTransactions.proposalResponsePayload(
                EndorserTransactions.proposalHash(proposal.header(), proposal.invocation()), proposal.chaincode(),
                EndorserTransactions.readWriteSet(proposal.chaincode(), simulation.readWriteSet()), events,
                ByteString.copyFrom(simulation.result()));
        ByteString payloadBytes = payload.toByteString();
        return new Endorsed(payloadBytes, EndorserTransactions.endorse(peer, payloadBytes), simulation.result());
    }

    /**
     * Fabric's {@code ProcessProposal} answer: an endorsed response, or — when the contract refuses — a response
     * with status 500 and the contract's message and no endorsement, as Fabric's endorser reports chaincode errors.
     */
    public ProposalResponse respond(CheckedProposal proposal) {
        try {
            Endorsed endorsed = endorse(proposal);
            return ProposalResponse.newBuilder()
                    .setVersion(PROPOSAL_RESPONSE_VERSION)
                    .setResponse(Response.newBuilder().setStatus(200).setPayload(ByteString.copyFrom(endorsed.result())))
                    .setPayload(endorsed.proposalResponsePayload())
                    .setEndorsement(endorsed.endorsement())
                    .build();
        } catch (ContractException e) {
            return ProposalResponse.newBuilder()
                    .setVersion(PROPOSAL_RESPONSE_VERSION)
                    .setResponse(Response.newBuilder().setStatus(500).setMessage(e.getMessage()))
                    .build();
        }
    }
}
