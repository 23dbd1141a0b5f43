package io.hearsay.testnet.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A network {@code hearsay up} started, in this JVM ({@link RunningNetwork}) or one process per node
 * ({@link ProcessNetwork}); what the status table and {@code --once} need from either. Closing stops every node and
 * keeps the data directory, so a later launch resumes.
 */
public interface LaunchedNetwork extends AutoCloseable {

    NetworkLayout layout();

    NetworkMaterial material();

    /** The {@code connection.json} written for this launch (absolute). */
    default Path connectionProfile() {
        return layout().connectionProfile();
    }

    /** What the spec asked for that this launch could not honour, one sentence each. */
    List<String> warnings();

    /** The status table's rows: per peer in spec order, one per channel. */
    List<PeerRow> status();

    /** Nodes that stopped on their own (a process that exited), one sentence each; empty while all run. */
    default List<String> problems() {
        return List.of();
    }

    /** Whether every peer is connected to all the neighbours {@link NetworkLinks} gave it. */
    default boolean linked() {
        return status().stream().allMatch(r -> r.height() >= 0 && r.neighboursConnected() >= r.neighboursExpected());
    }

    /** Whether every peer answers and has the same height on each channel (blocks have spread everywhere). */
    default boolean sameHeight() {
        List<PeerRow> rows = status();
        if (rows.stream().anyMatch(r -> r.height() < 0)) {
            return false;
        }
        Map<String, Long> heightsPerChannel = rows.stream().collect(Collectors.groupingBy(PeerRow::channel,
                Collectors.mapping(PeerRow::height, Collectors.collectingAndThen(Collectors.toSet(), s -> (long) s.size()))));
        return heightsPerChannel.values().stream().allMatch(distinct -> distinct == 1);
    }

    /** Whether every organisation has exactly one leader on each channel (the election has settled). */
    default boolean led() {
        Map<String, Long> leadersPerOrganizationAndChannel = status().stream().collect(Collectors.groupingBy(
                r -> r.mspId() + "/" + r.channel(), Collectors.filtering(PeerRow::leader, Collectors.counting())));
        return leadersPerOrganizationAndChannel.values().stream().allMatch(leaders -> leaders == 1);
    }

    @Override
    void close();
}
