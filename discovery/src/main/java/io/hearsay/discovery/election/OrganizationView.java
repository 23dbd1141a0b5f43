package io.hearsay.discovery.election;

import io.hearsay.identity.PkiId;
import java.util.SortedMap;

/**
 * What the election needs to know about its organisation, from membership (SWIM's live members of this org and
 * the ledger height in their metadata) or from a test. Called on the election's serial context.
 */
public interface OrganizationView {
    /** The other live peers of this peer's organisation and their last known ledger heights; never this peer. */
    SortedMap<PkiId, Long> livePeerHeights();

    /** This peer's own ledger height now. */
    long localHeight();
}
