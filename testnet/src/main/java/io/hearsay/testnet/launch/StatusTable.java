package io.hearsay.testnet.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders {@link PeerRow}s as the fixed-width table {@code hearsay up} prints and refreshes. */
public final class StatusTable {
    /** Enough of the head hash to tell forks apart at a glance, as {@code git log --oneline} does. */
    public static final int HASH_PREFIX_CHARS = 12;

    private StatusTable() {}

    public static String render(List<PeerRow> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"PEER", "ORG", "CHANNEL", "HEIGHT", "HEAD", "LEADER", "NEIGHBOURS"});
        for (PeerRow row : rows) {
            boolean down = row.height() == PeerRow.UNREACHABLE;
            cells.add(new String[] {row.name(), row.mspId(), row.channel(), down ? "down" : Long.toString(row.height()),
                down ? "-" : row.headHash().substring(0, Math.min(HASH_PREFIX_CHARS, row.headHash().length())),
                row.leader() ? "yes" : "no", row.neighboursConnected() + "/" + row.neighboursExpected()});
        }
        int[] widths = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
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
}
