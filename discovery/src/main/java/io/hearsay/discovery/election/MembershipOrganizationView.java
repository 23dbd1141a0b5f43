package io.hearsay.discovery.election;

import io.hearsay.discovery.swim.AliveRecord;
import io.hearsay.discovery.swim.MembershipListener;
import io.hearsay.identity.PkiId;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The election's view of its organisation learned from SWIM: live members of this peer's organisation and the
 * ledger height in their signed metadata. Register it as (part of) the membership's listener and
 * {@link #attach} the election, so a death reaches the election at once instead of after its timeout.
 * Runs on the membership's serial context, which must be the election's too.
 */
public final class MembershipOrganizationView implements OrganizationView, MembershipListener {
    private final PkiId self;
    private final String organization;
    private final LongSupplier localHeight;
    private final TreeMap<PkiId, Long> live = new TreeMap<>();
    private LeaderElection election;

    public MembershipOrganizationView(PkiId self, String organization, LongSupplier localHeight) {
        this.self = Objects.requireNonNull(self, "self");
        this.organization = Objects.requireNonNull(organization, "organization");
        this.localHeight = Objects.requireNonNull(localHeight, "localHeight");
    }

    /** The election told of deaths, returns and height changes; it needs this view first, hence not a constructor argument. */
    public void attach(LeaderElection leaderElection) {
        this.election = Objects.requireNonNull(leaderElection, "leaderElection");
    }

    @Override
    public SortedMap<PkiId, Long> livePeerHeights() {
        return Collections.unmodifiableSortedMap(live);
    }

    @Override
    public long localHeight() {
        return localHeight.getAsLong();
    }

    @Override
    public void memberAlive(AliveRecord record) {
        if (isPeerOfMyOrganization(record)) {
            live.put(record.peer(), record.metadata().ledgerHeight());
            if (election != null) {
                election.onPeerAlive(record.peer());
            }
        }
    }

    @Override
    public void memberUpdated(AliveRecord record) {
        if (isPeerOfMyOrganization(record)) {
            Long previous = live.put(record.peer(), record.metadata().ledgerHeight());
            if (election != null && !Objects.equals(previous, record.metadata().ledgerHeight())) {
                election.onHeightsChanged();
            }
        }
    }

    @Override
    public void memberDead(PkiId member, long incarnation, PkiId accuser) {
        if (live.remove(member) != null && election != null) {
            election.onPeerDead(member);
        }
    }

    @Override
    public void memberForgotten(PkiId member) {
        live.remove(member);
    }

    private boolean isPeerOfMyOrganization(AliveRecord record) {
        return !record.peer().equals(self) && record.organization().equals(organization);
    }
}
