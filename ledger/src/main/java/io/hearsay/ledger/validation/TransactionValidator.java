package io.hearsay.ledger.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.identity.Identity;
import io.hearsay.identity.IdentityException;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.Role;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.validation.CheckedTransaction.NamespaceReadWriteSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The per-transaction checks that need no ledger state, in Fabric's order: well-formed envelope and
 * headers, right channel, creator's signature, transaction id, one action whose endorsements are valid
 * and satisfy the endorsement policy of every namespace it writes, and a readable read-write set whose range
 * queries can be checked ({@link RangeQueryShape}). Duplicates, MVCC and phantom reads need the ledger and are
 * the committer's.
 *
 * <p>Nested messages are parsed with aliasing ({@link Protos}): their bytes fields are views into the
 * entry, so parsing copies no transaction bytes, and signed messages are hashed where they lie.
 *
 * <p>Stateless and thread-safe, so the committer checks a block's transactions in parallel.
 */
public final class TransactionValidator {
    private final String channelId;
    private final MspDirectory msps;
    private final EndorsementPolicies policies;
    private final boolean verifySignatures;

    /**
     * @param verifySignatures false skips creator and endorsement signature checks: only for blocks from
     *     a chain already verified elsewhere (see {@code ValidationLevel.BLOCK})
     */
    public TransactionValidator(String channelId, MspDirectory msps, EndorsementPolicies policies, boolean verifySignatures) {
        this.channelId = channelId;
        this.msps = msps;
        this.policies = policies;
        this.verifySignatures = verifySignatures;
    }

    /**
     * Checks one entry of a block's data. The envelope and payload parsed here are also held to {@link
     * CanonicalEncoding}'s rule, so each entry is parsed once, on whichever thread checks it; an entry that
     * breaks it comes back not {@link CheckedTransaction#canonical() canonical}, and its block must be rejected.
     */
    public CheckedTransaction check(ByteString envelopeBytes) {
        Envelope envelope;
        Payload payload;
        try {
            envelope = Protos.parse(Envelope.parser(), envelopeBytes);
            payload = Protos.parse(Payload.parser(), envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            return CheckedTransaction.nonCanonical(CanonicalEncoding.notAnEnvelope(e));
        }
        String canonicalProblem = CanonicalEncoding.problem(envelopeBytes, envelope, payload);
        if (canonicalProblem != null) {
            return CheckedTransaction.nonCanonical(canonicalProblem);
        }
        return checkHeaders(envelope, payload);
    }

    private CheckedTransaction checkHeaders(Envelope envelope, Payload payload) {
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        try {
            Header header = payload.getHeader();
            channelHeader = Protos.parse(ChannelHeader.parser(), header.getChannelHeader());
            signatureHeader = Protos.parse(SignatureHeader.parser(), header.getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return CheckedTransaction.invalid(TxValidationCode.BAD_PAYLOAD, "", "envelope or header does not parse");
        }
        String txId = channelHeader.getTxId();
        if (!channelHeader.getChannelId().equals(channelId)) {
            return CheckedTransaction.invalid(TxValidationCode.BAD_CHANNEL_HEADER, txId,
                    "transaction is for channel '" + channelHeader.getChannelId() + "', not '" + channelId + "'");
        }
        if (channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
            return CheckedTransaction.invalid(TxValidationCode.UNKNOWN_TX_TYPE, txId,
                    "header type " + channelHeader.getType() + " is not an endorser transaction; "
                            + "configuration updates are not supported after the genesis block");
        }
        if (signatureHeader.getNonce().isEmpty() || signatureHeader.getCreator().isEmpty()) {
            return CheckedTransaction.invalid(TxValidationCode.BAD_PAYLOAD, txId, "signature header lacks nonce or creator");
        }
        if (verifySignatures) {
            try {
                msps.verify(signatureHeader.getCreator(), envelope.getPayload(), envelope.getSignature().toByteArray());
            } catch (IdentityException e) {
                return CheckedTransaction.invalid(TxValidationCode.BAD_CREATOR_SIGNATURE, txId, e.getMessage());
            }
        }
        if (!txId.equals(EndorserTransactions.transactionId(signatureHeader.getNonce(), signatureHeader.getCreator()))) {
            return CheckedTransaction.invalid(TxValidationCode.BAD_PROPOSAL_TXID, txId,
                    "transaction id is not SHA-256(nonce ‖ creator)");
        }
        return checkAction(payload, txId);
    }

    private CheckedTransaction checkAction(Payload payload, String txId) {
        ChaincodeActionPayload actionPayload;
        ProposalResponsePayload responsePayload;
        ChaincodeAction action;
        TxReadWriteSet readWriteSet;
        try {
            Transaction transaction = Protos.parse(Transaction.parser(), payload.getData());
            if (transaction.getActionsCount() != 1) {
                return CheckedTransaction.invalid(TxValidationCode.NIL_TXACTION, txId,
                        "an endorser transaction has exactly one action, this has " + transaction.getActionsCount());
            }
            if (!Protos.sameBytes(transaction.getActions(0).getHeader(), payload.getHeader().getSignatureHeader())) {
                return CheckedTransaction.invalid(TxValidationCode.BAD_PAYLOAD, txId,
                        "action header differs from the transaction's signature header");
            }
            actionPayload = Protos.parse(ChaincodeActionPayload.parser(), transaction.getActions(0).getPayload());
            responsePayload = Protos.parse(ProposalResponsePayload.parser(),
                    actionPayload.getAction().getProposalResponsePayload());
            action = Protos.parse(ChaincodeAction.parser(), responsePayload.getExtension());
            readWriteSet = Protos.parse(TxReadWriteSet.parser(), action.getResults());
        } catch (InvalidProtocolBufferException e) {
            return CheckedTransaction.invalid(TxValidationCode.BAD_PAYLOAD, txId, "transaction action does not parse");
        }
        byte[] expectedProposalHash = EndorserTransactions.proposalHash(payload.getHeader(),
                actionPayload.getChaincodeProposalPayload());
        if (!Arrays.equals(expectedProposalHash, responsePayload.getProposalHash().toByteArray())) {
            return CheckedTransaction.invalid(TxValidationCode.INVALID_ENDORSER_TRANSACTION, txId,
                    "endorsed proposal hash does not match this transaction's header and invocation");
        }
        List<NamespaceReadWriteSet> namespaces = new ArrayList<>();
        try {
            for (NsReadWriteSet namespace : readWriteSet.getNsRwsetList()) {
                KVRWSet kvRwSet = Protos.parse(KVRWSet.parser(), namespace.getRwset());
                String problem = rwSetProblem(namespace.getNamespace(), kvRwSet);
                if (problem != null) {
                    return CheckedTransaction.invalid(TxValidationCode.BAD_RWSET, txId, problem);
                }
                namespaces.add(new NamespaceReadWriteSet(namespace.getNamespace(), kvRwSet));
            }
        } catch (InvalidProtocolBufferException e) {
            return CheckedTransaction.invalid(TxValidationCode.BAD_RWSET, txId, "read-write set does not parse");
        }
        String policyProblem = endorsementProblem(actionPayload.getAction().getProposalResponsePayload(),
                actionPayload.getAction().getEndorsementsList(), namespaces);
        if (policyProblem != null) {
            return CheckedTransaction.invalid(TxValidationCode.ENDORSEMENT_POLICY_FAILURE, txId, policyProblem);
        }
        return new CheckedTransaction(TxValidationCode.VALID, txId, namespaces, "");
    }

    /** Null if every endorsement is valid and every written namespace's policy is met; else why not. */
    private String endorsementProblem(ByteString proposalResponsePayload, List<Endorsement> endorsements,
            List<NamespaceReadWriteSet> namespaces) {
        Set<String> endorsingOrganizations = new HashSet<>();
        for (Endorsement endorsement : endorsements) {
            try {
                Identity endorser = msps.validate(endorsement.getEndorser());
                if (endorser.role().filter(Role.PEER::equals).isEmpty()) {
                    return "endorser " + endorser + " is not a peer";
                }
                if (verifySignatures) {
                    endorser.verify(proposalResponsePayload.concat(endorsement.getEndorser()),
                            endorsement.getSignature().toByteArray());
                }
                endorsingOrganizations.add(endorser.mspId());
            } catch (IdentityException e) {
                return "invalid endorsement: " + e.getMessage();
            }
        }
        for (NamespaceReadWriteSet namespace : namespaces) {
            if (namespace.kvRwSet().getWritesCount() == 0) {
                continue;
            }
            var policy = policies.policyFor(namespace.namespace());
            if (!EndorsementPolicies.isSatisfied(policy, endorsingOrganizations)) {
                return "namespace '" + namespace.namespace() + "' needs endorsements from " + policy.getRequired()
                        + " of " + policy.getMspIdsList() + ", got " + endorsingOrganizations;
            }
        }
        return null;
    }

    private static String rwSetProblem(String namespace, KVRWSet kvRwSet) {
        if (namespace.isEmpty() || namespace.indexOf('\0') >= 0) {
            return "namespace name must be non-empty and free of NUL characters";
        }
        for (KVRead read : kvRwSet.getReadsList()) {
            if (read.getKey().isEmpty()) {
                return "read of an empty key in namespace '" + namespace + "'";
            }
        }
        for (KVWrite write : kvRwSet.getWritesList()) {
            if (write.getKey().isEmpty()) {
                return "write of an empty key in namespace '" + namespace + "'";
            }
        }
        return kvRwSet.getRangeQueriesInfoCount() == 0 ? null : RangeQueryShape.problem(namespace, kvRwSet);
    }
}
