package io.hearsay.discovery.swim;

import io.hearsay.identity.PkiId;

/**
 * A membership update as it spreads, piggybacked on protocol messages (SWIM's infection-style
 * dissemination): a member's own signed {@link AliveRecord}, or a signed {@link Accusation} that a member
 * is suspected or dead. Each is signed by whoever asserts it, so any peer can relay it and no peer can
 * speak for another.
 */
public sealed interface MemberUpdate permits AliveRecord, Accusation {
    /** The member the update is about. */
    PkiId subject();

    /** What the update costs on the wire. */
    int sizeBytes();
}
