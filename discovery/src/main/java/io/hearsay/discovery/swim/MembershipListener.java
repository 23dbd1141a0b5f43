package io.hearsay.discovery.swim;

import io.hearsay.identity.PkiId;

/**
 * Told of membership changes as this member's view makes them, on the member's serial context (the same
 * one that delivers its messages and timers): so it must not block, and may call back into the membership.
 * Every method has an empty default.
 */
public interface MembershipListener {
    MembershipListener NONE = new MembershipListener() { };

    /** A member became alive in this view: newly learned, refuted a suspicion, or back from the dead. */
    default void memberAlive(AliveRecord record) { }

    /** A live member republished its record (new metadata) without a change of status. */
    default void memberUpdated(AliveRecord record) { }

    /** A member became suspected; {@code accuser} raised the suspicion (this member itself, or a relayed one). */
    default void memberSuspected(PkiId member, long incarnation, PkiId accuser) { }

    /** A member was declared dead; {@code accuser} is whoever declared it (this member itself if it did). */
    default void memberDead(PkiId member, long incarnation, PkiId accuser) { }

    /** A dead member was forgotten after the retention bound. */
    default void memberForgotten(PkiId member) { }

    /** An update received from {@code from} was refused; {@code detail} says why, for the log. */
    default void updateRejected(PkiId from, SwimCounters.Rejection reason, String detail) { }
}
