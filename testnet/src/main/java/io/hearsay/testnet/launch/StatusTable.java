package io.hearsay.testnet.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@link PeerRow}s as the fixed-width table {@code hearsay up} prints and refreshes: per channel a line with
 * the network's top height and how many peers hold it, then one row per peer and channel, whose BEHIND column says
 * how far a peer is from the top and how much of the chain it holds, so a peer catching up shows its progress.
 *
 * <pre>
 * channel testchannel: top height 40; 3/4 peers at the top, 1 catching up, 0 down
 * PEER                    ORG      CHANNEL      HEIGHT  BEHIND    HEAD          LEADER  NEIGHBOURS
 * peer0.org1.example.com  Org1MSP  testchannel  40      0         3f2a…         yes     3/3
 * peer1.org1.example.com  Org1MSP  testchannel  30      10 (75%)  9c01…         no      2/2
 * </pre>
 */
public final class StatusTable {
    /** Enough of the head hash to tell forks apart at a glance, as {@code git log --oneline} does. */
    public static final int HASH_PREFIX_CHARS = 12;

    private StatusTable() {}

    public static String render(List<PeerRow> rows) {
        Map<String, Long> topHeights = topHeights(rows);
        StringBuilder table = new StringBuilder();
        topHeights.forEach((channel, top) -> table.append(summary(channel, top, rows)).append('\n'));
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"PEER", "ORG", "CHANNEL", "HEIGHT", "BEHIND", "HEAD", "LEADER", "NEIGHBOURS"});
        for (PeerRow row : rows) {
            boolean down = row.height() == PeerRow.UNREACHABLE;
            cells.add(new String[] {row.name(), row.mspId(), row.channel(), down ? "down" : Long.toString(row.height()),
                down ? "-" : behind(row.height(), topHeights.get(row.channel())),
                down ? "-" : row.headHash().substring(0, Math.min(HASH_PREFIX_CHARS, row.headHash().length())),
                row.leader() ? "yes" : "no", row.neighboursConnected() + "/" + row.neighboursExpected()});
        }
        int[] widths = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                text.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", line[i]));
                if (i < line.length - 1) {
                    text.append("  ");
                }
            }
            table.append(text.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    /** Per channel, in name order, the highest height any reachable peer reports (0 when none is reachable). */
    private static Map<String, Long> topHeights(List<PeerRow> rows) {
        Map<String, Long> tops = new TreeMap<>();
        for (PeerRow row : rows) {
            tops.merge(row.channel(), Math.max(0, row.height()), Math::max);
        }
        return tops;
    }

    private static String summary(String channel, long top, List<PeerRow> rows) {
        int atTop = 0;
        int catchingUp = 0;
        int down = 0;
        for (PeerRow row : rows) {
            if (!row.channel().equals(channel)) {
                continue;
            }
            if (row.height() == PeerRow.UNREACHABLE) {
                down++;
            } else if (row.height() < top) {
                catchingUp++;
            } else {
                atTop++;
            }
        }
        return String.format(Locale.ROOT, "channel %s: top height %d; %d/%d peers at the top, %d catching up, %d down",
                channel, top, atTop, atTop + catchingUp + down, catchingUp, down);
    }

    /** "0" at the top; else the blocks missing and the share of the top height held, rounded down ("10 (75%)"). */
    private static String behind(long height, long top) {
        if (height >= top) {
            return "0";
        }
        return (top - height) + " (" + (height * 100 / top) + "%)";
    }
}
