package io.hearsay.discovery.swim;

/**
 * A member's state in one peer's view (SWIM): alive; suspected (a probe failed, the member may still
 * refute with a higher incarnation); dead (the suspicion was not refuted in time). Suspected members are
 * still live: they are probed and gossiped to, and are in {@link SwimMembership#neighbours()}.
 */
public enum MemberStatus {
    ALIVE,
    SUSPECT,
    DEAD;

    public boolean isLive() {
        return this != DEAD;
    }
}
