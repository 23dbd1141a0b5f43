package io.hearsay.testnet.launch;

import io.hearsay.identity.PkiId;
import io.hearsay.peer.transport.LinkFaults.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One control line from a launcher to a peer's JVM: the complete set of link faults the peer's gossip transport must
 * apply from now on, replacing the previous set (a peer not named has no fault on its link). One line, so a peer's
 * log shows exactly what it was told:
 *
 * <pre>
 * faults 3 seed=1234                                       no faults at all (a heal)
 * faults 4 seed=1234 *:loss=0.05 9f3a…e1:blocked           5 % loss on every link; the link to 9f3a…e1 cut
 * faults 5 seed=1234 9f3a…e1:loss=0.1,latency=20ms,jitter=5ms,clogged
 * </pre>
 *
 * A link is a neighbour's full PKI-ID in hex, or {@code *} for every link; the fields after {@code :} are those of
 * {@link Rule} that are not zero or false. {@code generation} increases with each line a launcher sends one process,
 * so an acknowledgement names which line was applied.
 *
 * @param generation which line this is, counting from 1 per process
 * @param seed seeds the peer's loss and jitter draws ({@link io.hearsay.peer.transport.LinkFaults#seed()})
 * @param all the faults on every link, added to each link's own ({@link Rule#NONE}: none)
 * @param peers each neighbour's own link faults; sorted, so one set of faults is always one line
 */
public record FaultsCommand(long generation, long seed, Rule all, SortedMap<PkiId, Rule> peers) {
    public static final String NAME = "faults";
    private static final String ALL_LINKS = "*";

    public FaultsCommand {
        if (generation < 1) {
            throw new IllegalArgumentException("generation is " + generation + "; it counts from 1");
        }
        Objects.requireNonNull(all, "all");
        peers = Collections.unmodifiableSortedMap(new TreeMap<>(peers));
    }

    /** The line, without its line break. */
    public String line() {
        StringBuilder line = new StringBuilder(NAME).append(' ').append(generation).append(" seed=").append(seed);
        if (!all.equals(Rule.NONE)) {
            line.append(' ').append(ALL_LINKS).append(':').append(fields(all));
        }
        peers.forEach((peer, rule) -> {
            if (!rule.equals(Rule.NONE)) {
                line.append(' ').append(peer.toHex()).append(':').append(fields(rule));
            }
        });
        return line.toString();
    }

    /**
     * Reads a line as {@link #line()} writes it.
     *
     * @throws IllegalArgumentException naming what is wrong, for the receiver to log before it ignores the line
     */
    public static FaultsCommand parse(String line) {
        String[] words = line.strip().split(" +");
        if (words.length < 3 || !words[0].equals(NAME) || !words[2].startsWith("seed=")) {
            throw new IllegalArgumentException("expected \"" + NAME + " <generation> seed=<seed> [<peer hex>|*:<field>,…]…\"");
        }
        long generation = number(words[1], "generation");
        long seed = number(words[2].substring("seed=".length()), "seed");
        Rule all = Rule.NONE;
        SortedMap<PkiId, Rule> peers = new TreeMap<>();
        for (int i = 3; i < words.length; i++) {
            int colon = words[i].indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("link \"" + words[i] + "\" has no ':<fields>'");
            }
            String link = words[i].substring(0, colon);
            Rule rule = rule(words[i].substring(colon + 1));
            if (link.equals(ALL_LINKS)) {
                all = rule;
            } else if (peers.put(peer(link), rule) != null) {
                throw new IllegalArgumentException("link " + link + " is given twice");
            }
        }
        return new FaultsCommand(generation, seed, all, peers);
    }

    private static String fields(Rule rule) {
        List<String> fields = new ArrayList<>();
        if (rule.lossRate() > 0) {
            fields.add("loss=" + rule.lossRate());
        }
        if (rule.latencyMillis() > 0) {
            fields.add("latency=" + rule.latencyMillis() + "ms");
        }
        if (rule.jitterMillis() > 0) {
            fields.add("jitter=" + rule.jitterMillis() + "ms");
        }
        if (rule.blocked()) {
            fields.add("blocked");
        }
        if (rule.clogged()) {
            fields.add("clogged");
        }
        return String.join(",", fields);
    }

    private static Rule rule(String text) {
        Map<String, String> fields = new TreeMap<>();
        for (String field : text.split(",")) {
            int equals = field.indexOf('=');
            String key = equals < 0 ? field : field.substring(0, equals);
            if (fields.put(key, equals < 0 ? "" : field.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("field " + key + " is given twice in \"" + text + "\"");
            }
        }
        double loss = fields.containsKey("loss") ? decimal(fields.remove("loss"), "loss") : 0;
        long latency = fields.containsKey("latency") ? millis(fields.remove("latency"), "latency") : 0;
        long jitter = fields.containsKey("jitter") ? millis(fields.remove("jitter"), "jitter") : 0;
        boolean blocked = flag(fields.remove("blocked"), "blocked");
        boolean clogged = flag(fields.remove("clogged"), "clogged");
        if (!fields.isEmpty()) {
            throw new IllegalArgumentException("unknown field(s) " + fields.keySet() + " in \"" + text
                    + "\"; the fields are loss=<0..1>, latency=<n>ms, jitter=<n>ms, blocked, clogged");
        }
        return new Rule(loss, latency, jitter, blocked, clogged); // checks the ranges
    }

    private static PkiId peer(String hex) {
        try {
            return PkiId.fromBytes(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("link \"" + hex + "\" is neither '*' nor a peer's PKI-ID in hex ("
                    + PkiId.LENGTH_BYTES * 2 + " digits): " + e.getMessage(), e);
        }
    }

    private static boolean flag(String value, String name) {
        if (value != null && !value.isEmpty()) {
            throw new IllegalArgumentException(name + " takes no value, got " + name + "=" + value);
        }
        return value != null;
    }

    private static long number(String text, String name) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " \"" + text + "\" is not a whole number", e);
        }
    }

    private static double decimal(String text, String name) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " \"" + text + "\" is not a number", e);
        }
    }

    private static long millis(String text, String name) {
        if (!text.endsWith("ms")) {
            throw new IllegalArgumentException(name + " \"" + text + "\" must be whole milliseconds, e.g. 20ms");
        }
        return number(text.substring(0, text.length() - 2), name);
    }
}
