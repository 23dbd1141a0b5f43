package io.hearsay.testnet.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code hearsay up}'s status table: a peer on one channel.
 *
 * @param height the peer's height on the channel, or {@value #UNREACHABLE} when its status could not be read
 * @param headHash the hex hash of the peer's newest block on the channel
 * @param neighboursConnected how many gossip neighbours it is connected to now
 * @param neighboursExpected how many the launcher linked it to ({@link NetworkLinks})
 */
public record PeerRow(String name, String mspId, String channel, long height, String headHash, boolean leader,
        int neighboursConnected, int neighboursExpected) {
    public static final long UNREACHABLE = -1;

    /** The row of a peer whose status could not be read (still starting, or stopped). */
    static PeerRow unreachable(PeerPlan plan, String channel, int neighboursExpected) {
        return new PeerRow(plan.name(), plan.mspId(), channel, UNREACHABLE, "", false, 0, neighboursExpected);
    }

    /** Reads the rows out of {@code PeerNode.status()}: one per channel. */
    @SuppressWarnings("unchecked")
    static List<PeerRow> of(Map<String, Object> status, int neighboursExpected) {
        List<PeerRow> rows = new ArrayList<>();
        Map<String, Object> channels = (Map<String, Object>) status.get("channels");
        int connected = ((List<?>) status.get("neighbours")).size();
        channels.forEach((channel, value) -> {
            Map<String, Object> c = (Map<String, Object>) value;
            rows.add(new PeerRow((String) status.get("name"), (String) status.get("mspId"), channel,
                    ((Number) c.get("height")).longValue(), (String) c.get("headHash"),
                    (Boolean) c.getOrDefault("leader", status.get("leader")),
                    connected, neighboursExpected));
        });
        return rows;
    }
}
