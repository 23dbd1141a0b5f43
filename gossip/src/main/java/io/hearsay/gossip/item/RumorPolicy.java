package io.hearsay.gossip.item;

/**
 * When a rumor monger loses interest in a rumor (Demers et al. 1987, section 1.4), with parameter k:
 *
 * <ul>
 *   <li>{@link #FEEDBACK_COUNTER}: the receiver says whether it already knew; after k contacts with peers
 *       that already knew it, the sender stops. Residue s satisfies s = e^{-(k+1)(1-s)}.
 *   <li>{@link #BLIND_COIN}: no feedback; after every contact the sender stops with probability 1/k.
 * </ul>
 */
public enum RumorPolicy {
    FEEDBACK_COUNTER,
    BLIND_COIN
}
