package io.hearsay.gossip.item;

/**
 * The three anti-entropy exchanges of Demers et al. (1987), "Epidemic algorithms for replicated database
 * maintenance". With p_i the fraction of peers still lacking an item after round i:
 *
 * <ul>
 *   <li>{@link #PUSH}: the initiator sends its items; the receiver keeps what is newer. p_{i+1} ≈ p_i·e^{-1}
 *       near the end: a slow end game, since the last susceptible peers must be picked by chance.
 *   <li>{@link #PULL}: the initiator sends (key, version) digests; the receiver returns what it has newer.
 *       p_{i+1} = p_i²: a fast end game, since every susceptible peer asks someone every round.
 *   <li>{@link #PUSH_PULL}: both in one contact; fastest to converge, most messages per round
 *       (Karp et al. 2000: about log₃ n + O(ln ln n) rounds).
 * </ul>
 */
public enum ExchangeMode {
    PUSH,
    PULL,
    PUSH_PULL
}
