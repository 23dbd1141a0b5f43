package io.hearsay.testnet.bench;

import io.hearsay.testnet.sim.Percentiles;
import io.hearsay.testnet.spec.NetworkModel;

/**
 * One network model's figures from {@link ModelTrial}; a time that did not come within its bound is NaN.
 *
 * @param launchMillis the orderer and every peer started (crypto material made beforehand, not counted)
 * @param startupMillis from the launch until every peer is linked and has its organisation's neighbours in its view
 * @param disseminationMillis per block, from the orderer cutting it to the last peer committing it
 * @param invalidTransactions measured transactions whose commit status was not VALID (expected 0)
 * @param idle what the quiet network spends on staying connected
 * @param failureDetectionMillis from stopping an ordinary peer until no other peer of its organisation has it in view
 * @param keyComponent what was taken down: the index, or the organisation's first anchor (a seed)
 * @param rejoinMillis from restarting the stopped peer (key component down) until its view is full again
 * @param rejoinView the running peers in the restarted peer's view then (or at the end of the join window)
 * @param rejoinViewExpected the view it would have with everyone else of its organisation that runs
 * @param rejoinedBlockMillis from the orderer cutting a block until the restarted peer committed it
 * @param rejoinedLeads whether the restarted peer led its organisation then: it took blocks from the orderer itself
 */
record ModelFigures(NetworkModel model, double launchMillis, double startupMillis, Percentiles disseminationMillis,
        long invalidTransactions, IdleTraffic idle, double failureDetectionMillis, String keyComponent, double rejoinMillis,
        int rejoinView, int rejoinViewExpected, double rejoinedBlockMillis, boolean rejoinedLeads) {

    /** Whether the restarted peer found its organisation again with the key component down. */
    boolean rejoined() {
        return Double.isFinite(rejoinMillis);
    }

    /** Whether a block cut after its restart reached it. */
    boolean rejoinedGotBlock() {
        return Double.isFinite(rejoinedBlockMillis);
    }

    Json json() {
        return new Json()
                .field("launch_ms", launchMillis)
                .field("startup_ms", startupMillis)
                .field("dissemination_p50_ms", disseminationMillis.p50())
                .field("dissemination_p99_ms", disseminationMillis.p99())
                .field("dissemination_max_ms", disseminationMillis.max())
                .field("blocks", disseminationMillis.count())
                .field("invalid_transactions", invalidTransactions)
                .field("failure_detection_ms", failureDetectionMillis)
                .field("key_component", keyComponent)
                .field("rejoined", rejoined())
                .field("rejoin_ms", rejoinMillis)
                .field("rejoin_view", rejoinView)
                .field("rejoin_view_expected", rejoinViewExpected)
                .field("rejoined_got_block", rejoinedGotBlock())
                .field("rejoined_block_ms", rejoinedBlockMillis)
                .field("rejoined_leads", rejoinedLeads)
                .field("idle_discovery_messages_per_peer_s", idle.discoveryMessages())
                .field("idle_discovery_bytes_per_peer_s", idle.discoveryBytes())
                .field("idle_block_gossip_messages_per_peer_s", idle.blockGossipMessages())
                .field("idle_block_gossip_bytes_per_peer_s", idle.blockGossipBytes())
                .field("idle_swim_probes_per_peer_s", idle.swimProbes())
                .field("idle_index_registrations_per_peer_s", idle.indexRegistrations());
    }
}
