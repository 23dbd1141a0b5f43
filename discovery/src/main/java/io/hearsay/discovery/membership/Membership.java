package io.hearsay.discovery.membership;

import io.hearsay.identity.PkiId;
import java.util.Optional;

/**
 * Who a peer can talk to: the small interface gossip needs from discovery. Sets are in PKI-ID order, so a
 * random pick from them is a function of the seed alone.
 */
public interface Membership {
    PkiId self();

    /** Live peers this peer keeps links to; what gossip picks its fanout and repair sources from. */
    PeerSet neighbours();

    /** The organisation (MSP id) of a known peer; empty for a peer this one does not know. */
    Optional<String> organization(PkiId peer);
}
