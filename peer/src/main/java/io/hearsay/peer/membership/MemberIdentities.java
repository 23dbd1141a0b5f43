package io.hearsay.peer.membership;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.identity.Identity;
import io.hearsay.identity.IdentityException;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.Role;
import io.hearsay.peer.membership.MembershipCounters.Refusal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The identities of this organisation's members as this node knows them: proved in a handshake (the network's), or
 * carried with an alive record and validated here against the organisation's CA. SWIM relays records of members this
 * node never met; their identities are what lets it check those records' signatures. Only identities of this node's
 * own organisation are kept, so a record of any other organisation's peer is refused by SWIM as of an unknown peer.
 * As a {@link Membership}, it is what the membership's authentication layer checks senders against.
 *
 * <p>Not thread-safe: the membership's serial executor.
 */
final class MemberIdentities implements Membership {
    private final PkiId self;
    private final String organization;
    private final MspDirectory organizations;
    private final Function<PkiId, Optional<Identity>> proved;
    private final MembershipCounters counters;
    private final BiConsumer<PkiId, String> drops;
    private final int identitiesMax;
    /** Sorted for a deterministic iteration should anyone iterate; only looked up today. */
    private final TreeMap<PkiId, Identity> learned = new TreeMap<>();

    /** @param self this node's own identity: its records carry it too */
    MemberIdentities(Identity self, MspDirectory organizations, Function<PkiId, Optional<Identity>> proved,
            MembershipCounters counters, BiConsumer<PkiId, String> drops, int identitiesMax) {
        this.self = self.pkiId();
        this.organization = self.mspId();
        this.organizations = organizations;
        this.proved = proved;
        this.counters = counters;
        this.drops = drops;
        this.identitiesMax = identitiesMax;
        learned.put(self.pkiId(), self);
    }

    /** The identity of {@code peer} if it is a member of this organisation this node can verify. */
    Optional<Identity> of(PkiId peer) {
        Identity identity = learned.get(peer);
        if (identity != null) {
            return Optional.of(identity);
        }
        return proved.apply(peer).filter(proof -> proof.mspId().equals(organization));
    }

    /** {@code peer}'s organisation if it is this one's and its identity is known; what SWIM checks records against. */
    @Override
    public Optional<String> organization(PkiId peer) {
        return of(peer).map(Identity::mspId);
    }

    Optional<ByteString> serialized(PkiId peer) {
        return of(peer).map(Identity::serialized);
    }

    /** Validates identities that came with alive records from {@code from}; keeps those of this organisation's members. */
    void learn(PkiId from, Map<PkiId, ByteString> carried) {
        carried.forEach((peer, bytes) -> {
            if (of(peer).isEmpty()) {
                learnOne(from, peer, bytes);
            }
        });
    }

    private void learnOne(PkiId from, PkiId peer, ByteString bytes) {
        Identity identity;
        try {
            identity = organizations.validate(bytes);
        } catch (IdentityException | IllegalArgumentException e) {
            refuse(from, Refusal.IDENTITY_REFUSED, "the identity carried for " + peer + " does not validate: " + e.getMessage());
            return;
        }
        if (!identity.pkiId().equals(peer)) {
            refuse(from, Refusal.IDENTITY_REFUSED, "the identity carried for " + peer + " is " + identity.pkiId() + "'s");
        } else if (!identity.mspId().equals(organization)) {
            refuse(from, Refusal.IDENTITY_REFUSED, "relayed the identity of " + peer + " of " + identity.mspId()
                    + ", not a member of " + organization);
        } else if (!identity.role().equals(Optional.of(Role.PEER))) {
            // Only peers are members: a client's or an admin's certificate of the organisation signs no alive record.
            refuse(from, Refusal.IDENTITY_REFUSED, "the identity carried for " + peer + " is not a peer's ("
                    + identity.role().map(Role::organizationalUnit).orElse("no role") + ")");
        } else if (learned.size() >= identitiesMax) {
            refuse(from, Refusal.IDENTITIES_FULL, "no room for the identity of " + peer + ": " + identitiesMax + " held");
        } else {
            learned.put(peer, identity);
        }
    }

    private void refuse(PkiId from, Refusal reason, String detail) {
        counters.refuse(reason);
        drops.accept(from, detail);
    }

    @Override
    public PkiId self() {
        return self;
    }

    /** None: the authentication layer asks only for organisations; SWIM keeps the members. */
    @Override
    public PeerSet neighbours() {
        return PeerSet.empty();
    }

    /** A member forgotten by SWIM: its identity goes too (it is carried again if it comes back). */
    void forget(PkiId peer) {
        learned.remove(peer);
    }
}
