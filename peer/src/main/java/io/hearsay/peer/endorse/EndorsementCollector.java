package io.hearsay.peer.endorse;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.Identity;
import io.hearsay.identity.IdentityException;
import io.hearsay.identity.Role;
import io.hearsay.ledger.validation.EndorsementPolicies;
import io.hearsay.peer.contract.ContractException;
import io.hearsay.peer.gateway.GatewayErrors;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.proto.EndorsementPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;

/**
 * Gathers the endorsements a proposal's chaincode policy ("N of these organisations") needs: this peer's own,
 * then, over mutual-TLS gRPC, those of peers of other organisations, which re-run the same checks and the same
 * contract on their own committed state.
 *
 * <pre>
 *  client ──Endorse──▶ this peer: simulate + sign (own org)
 *                         ├──ProcessProposal──▶ Org2 peer0 ──✗ (timeout) ──▶ Org2 peer1 ──✓
 *                         └──ProcessProposal──▶ Org3 peer0 ──✓          (as many orgs as the policy still needs)
 *                      ◀── every payload byte-identical to ours? → endorsements, sorted by organisation
 * </pre>
 *
 * Organisations are asked in MSP-id order, as many at once as the policy still needs; an organisation whose
 * peers all fail is replaced by the next one the policy lists, if any. A remote endorsement counts only if it
 * signs exactly this peer's proposal response payload and comes from a valid peer of the organisation asked:
 * anything else would fail the committer's policy check later, where the client can no longer fix it.
 *
 * <p>A client may name the endorsing organisations itself ({@code EndorseRequest.endorsing_organizations}): then
 * exactly those endorse, every one of them, and the policy is not consulted — as in Fabric, a set that does not
 * satisfy it fails validation at commit ({@code ENDORSEMENT_POLICY_FAILURE}), which is the client's choice to make.
 * A named organisation with no known peer, or whose peers could not be reached, fails the collection with
 * {@link OrganizationsUnavailableException} (the gateway's {@code UNAVAILABLE}).
 *
 * <p>Asynchronous: remote calls are gRPC futures with a per-endorser deadline; their answers are handled on
 * {@code executor}. No thread waits. Connections to other peers are kept and reused until {@link #close()}.
 */
public final class EndorsementCollector implements AutoCloseable {
    private final LocalEndorser local;
    private final EndorserDirectory directory;
    private final SslContext clientTls;
    private final EndorsementConfig config;
    private final Executor executor;
    private final ConcurrentHashMap<EndorserDirectory.Endpoint, ManagedChannel> connections = new ConcurrentHashMap<>();

    public EndorsementCollector(LocalEndorser local, EndorserDirectory directory, TlsCredentials tls,
            EndorsementConfig config, Executor executor) {
        this.local = local;
        this.directory = directory;
        this.clientTls = tls.clientContext();
        this.config = config;
        this.executor = executor;
    }

    public LocalEndorser local() {
        return local;
    }

    /**
     * Endorses locally on the caller's thread, then asks the other organisations. Fails with {@link
     * EndorsementFailedException} when the contract refuses or the policy cannot be met.
     */
    public CompletableFuture<Collected> collect(CheckedProposal proposal) {
        return collect(proposal, List.of());
    }

    /**
     * Like {@link #collect(CheckedProposal)}, but when {@code endorsingOrganizations} is not empty exactly those
     * organisations endorse (this peer's own only if listed), whatever the policy says. Fails with {@link
     * OrganizationsUnavailableException} when a listed organisation has no peer that could be reached.
     */
    public CompletableFuture<Collected> collect(CheckedProposal proposal, List<String> endorsingOrganizations) {
        return collect(proposal, new TreeSet<>(endorsingOrganizations), STATE_MISMATCH_RETRIES);
    }

    /**
     * Organisations the client named to endorse could not be asked: none of their peers is known, or none answered.
     * {@link #details()} has one entry per peer tried (or per organisation with none).
     */
    public static final class OrganizationsUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        private final transient List<ErrorDetail> details;

        OrganizationsUnavailableException(String message, List<ErrorDetail> details) {
            super(message);
            this.details = List.copyOf(details);
        }

        public List<ErrorDetail> details() {
            return details;
        }
    }

    /**
     * An endorser whose ledger is a block behind or ahead of ours simulates on other versions, so its payload differs
     * from ours; that is routine under load (blocks reach peers a few milliseconds apart), not an error of the client.
     * Fabric's gateway avoids it by choosing endorsers at the highest ledger height; we retry the whole collection —
     * both simulations again, on the state both peers have by then — after a gossip hop's time.
     */
    static final int STATE_MISMATCH_RETRIES = 2;
    static final long STATE_MISMATCH_RETRY_MILLIS = 50;

    private CompletableFuture<Collected> collect(CheckedProposal proposal, TreeSet<String> named, int retries) {
        CompletableFuture<Collected> attempt = collectOnce(proposal, named);
        if (retries == 0) {
            return attempt;
        }
        return attempt.exceptionallyCompose(failure -> {
            if (failure instanceof EndorsementFailedException failed && failed.details().stream()
                    .anyMatch(d -> d.getMessage().equals(STATE_MISMATCH))) {
                return CompletableFuture.supplyAsync(() -> proposal,
                                CompletableFuture.delayedExecutor(STATE_MISMATCH_RETRY_MILLIS, TimeUnit.MILLISECONDS, executor))
                        .thenCompose(p -> collect(p, named, retries - 1));
            }
            return CompletableFuture.failedFuture(failure);
        });
    }

    /** @param named the organisations the client named, sorted; empty to choose by policy */
    private CompletableFuture<Collected> collectOnce(CheckedProposal proposal, TreeSet<String> named) {
        Endorsed own;
        try {
            own = local.endorse(proposal);
        } catch (ContractException e) {
            return CompletableFuture.failedFuture(new EndorsementFailedException(
                    "failed to collect enough transaction endorsements, see attached details for more info",
                    List.of(GatewayErrors.detail(local.address(), local.mspId(), "chaincode response 500, " + e.getMessage()))));
        }
        TreeSet<String> organizations;
        int required;
        if (named.isEmpty()) {
            EndorsementPolicy policy = new EndorsementPolicies(proposal.channel().ledger().config()).policyFor(proposal.chaincode());
            organizations = new TreeSet<>(policy.getMspIdsList());
            required = policy.getRequired();
        } else {
            organizations = new TreeSet<>(named);
            required = named.size();
            List<ErrorDetail> unknown = new ArrayList<>();
            for (String organization : organizations) {
                if (!organization.equals(local.mspId()) && directory.endorsers(organization).isEmpty()) {
                    unknown.add(GatewayErrors.detail("", organization, "no peer of " + organization + " is known to endorse"));
                }
            }
            if (!unknown.isEmpty()) {
                return CompletableFuture.failedFuture(new OrganizationsUnavailableException(
                        "no peers available to endorse for the requested organisations " + named
                                + "; name organisations this peer knows peers of, or leave them out to follow the policy",
                        unknown));
            }
        }
        boolean ownCounts = organizations.remove(local.mspId());
        Round round = new Round(proposal, own, required, organizations, !named.isEmpty());
        if (ownCounts) {
            round.endorsements.put(local.mspId(), own.endorsement());
        }
        round.start();
        return round.outcome;
    }

    @Override
    public void close() {
        connections.values().forEach(ManagedChannel::shutdownNow);
        connections.clear();
    }

    private ManagedChannel connection(EndorserDirectory.Endpoint endpoint) {
        return connections.computeIfAbsent(endpoint, e -> NettyChannelBuilder.forTarget(e.address())
                .sslContext(clientTls)
                .overrideAuthority(e.tlsServerName())
                .executor(executor)
                .build());
    }

    private static final String STATE_MISMATCH =
            "its proposal response payload differs from this peer's (different committed state or contract)";

    /** One proposal's collection. Its state is guarded by its own lock; gRPC answers arrive on any thread. */
    private final class Round {
        private final CheckedProposal proposal;
        private final Endorsed own;
        private final int required;
        private final Deque<String> spareOrganizations;
        /** The client named the organisations: one that none of whose peers could be reached is unavailable. */
        private final boolean named;
        /** Whether some endorser answered with a refusal or something unusable, rather than not at all. */
        private boolean refused;
        private final TreeMap<String, Endorsement> endorsements = new TreeMap<>();
        private final List<ErrorDetail> failures = new ArrayList<>();
        private final CompletableFuture<Collected> outcome = new CompletableFuture<>();
        private int asking;

        Round(CheckedProposal proposal, Endorsed own, int required, TreeSet<String> others, boolean named) {
            this.proposal = proposal;
            this.own = own;
            this.required = required;
            this.spareOrganizations = new ArrayDeque<>(others);
            this.named = named;
        }

        void start() {
            List<String> toAsk = new ArrayList<>();
            Runnable settle;
            synchronized (this) {
                while (endorsements.size() + asking < required && !spareOrganizations.isEmpty()) {
                    toAsk.add(spareOrganizations.poll());
                    asking++;
                }
                settle = settlement();
            }
            settle.run();
            toAsk.forEach(organization -> ask(organization, directory.endorsers(organization), 0));
        }

        private void ask(String organization, List<EndorserDirectory.Endpoint> endpoints, int index) {
            if (index >= endpoints.size()) {
                if (endpoints.isEmpty()) {
                    record(GatewayErrors.detail("", organization, "no peer of " + organization + " is known to endorse"));
                }
                organizationFailed();
                return;
            }
            EndorserDirectory.Endpoint endpoint = endpoints.get(index);
            StreamObserver<ProposalResponse> answer = new StreamObserver<>() {
                private ProposalResponse response;

                @Override
                public void onNext(ProposalResponse value) {
                    response = value;
                }

                @Override
                public void onError(Throwable t) {
                    Status status = Status.fromThrowable(t);
                    if (status.getCode() != Status.Code.UNAVAILABLE && status.getCode() != Status.Code.DEADLINE_EXCEEDED) {
                        refused(); // it answered, with a refusal: reachable
                    }
                    retry(endpoint, organization, endpoints, index, status.getCode() + ": " + status.getDescription());
                }

                @Override
                public void onCompleted() {
                    String problem = response == null ? "no response" : problem(organization, response);
                    if (problem != null) {
                        refused();
                        retry(endpoint, organization, endpoints, index, problem);
                    } else {
                        endorsed(organization, response.getEndorsement());
                    }
                }
            };
            try {
                EndorserGrpc.newStub(connection(endpoint))
                        .withDeadlineAfter(config.endorserTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .processProposal(proposal.signedProposal(), answer);
            } catch (RuntimeException e) {
                retry(endpoint, organization, endpoints, index, "cannot call: " + e.getMessage());
            }
        }

        private void retry(EndorserDirectory.Endpoint endpoint, String organization,
                List<EndorserDirectory.Endpoint> endpoints, int index, String problem) {
            record(GatewayErrors.detail(endpoint.address(), organization, problem));
            ask(organization, endpoints, index + 1);
        }

        /** Null if {@code response} is an endorsement this transaction can use; else why not. */
        private String problem(String organization, ProposalResponse response) {
            if (response.getResponse().getStatus() < 200 || response.getResponse().getStatus() >= 400) {
                return "chaincode response " + response.getResponse().getStatus() + ", " + response.getResponse().getMessage();
            }
            if (!response.hasEndorsement()) {
                return "the response carries no endorsement";
            }
            if (!response.getPayload().equals(own.proposalResponsePayload())) {
                return STATE_MISMATCH;
            }
            Endorsement endorsement = response.getEndorsement();
            try {
                Identity endorser = proposal.channel().organizations().validate(endorsement.getEndorser());
                if (!endorser.mspId().equals(organization) || endorser.role().filter(Role.PEER::equals).isEmpty()) {
                    return "the endorsement is signed by " + endorser + ", not by a peer of " + organization;
                }
                endorser.verify(own.proposalResponsePayload().concat(endorsement.getEndorser()),
                        endorsement.getSignature().toByteArray());
            } catch (IdentityException e) {
                return "the endorsement is not valid: " + e.getMessage();
            }
            return null;
        }

        private void endorsed(String organization, Endorsement endorsement) {
            Runnable settle;
            synchronized (this) {
                asking--;
                endorsements.put(organization, endorsement);
                settle = settlement();
            }
            settle.run();
        }

        private synchronized void refused() {
            refused = true;
        }

        private synchronized void record(ErrorDetail failure) {
            failures.add(failure);
        }

        private void organizationFailed() {
            String next;
            Runnable settle;
            synchronized (this) {
                asking--;
                next = spareOrganizations.poll();
                if (next != null) {
                    asking++;
                }
                settle = settlement();
            }
            settle.run();
            if (next != null) {
                ask(next, directory.endorsers(next), 0);
            }
        }

        /**
         * Under the lock: what completes the outcome if the policy is met or can no longer be, else nothing. It is
         * run after the lock is released, because completing runs the gateway's continuation (building and sending
         * the prepared transaction), which must not hold up other answers of this round.
         */
        private Runnable settlement() {
            if (endorsements.size() >= required) {
                Collected collected = new Collected(own.proposalResponsePayload(), List.copyOf(endorsements.values()),
                        own.result());
                return () -> outcome.complete(collected);
            }
            if (endorsements.size() + asking + spareOrganizations.size() < required) {
                List<ErrorDetail> details = failures.isEmpty()
                        ? List.of(GatewayErrors.detail(local.address(), local.mspId(),
                                "the policy needs " + required + " organisations but only " + endorsements.size()
                                        + " can endorse"))
                        : List.copyOf(failures);
                Exception failure = named && !refused
                        ? new OrganizationsUnavailableException("no peer of the requested organisations could be "
                                + "reached to endorse, see attached details for more info", details)
                        : new EndorsementFailedException(
                                "failed to collect enough transaction endorsements, see attached details for more info",
                                details);
                return () -> outcome.completeExceptionally(failure);
            }
            return () -> { };
        }
    }
}
