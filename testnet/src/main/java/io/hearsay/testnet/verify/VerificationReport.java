package io.hearsay.testnet.verify;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the {@link ConsistencyVerifier} found: per peer what it read, and every inconsistency, the first divergent
 * height first among them. Printable for people ({@link #toText()}) and tools ({@link #toJson()}), with the exit
 * code the {@code verify} command returns.
 *
 * @param findingsOmitted findings beyond {@link VerifierOptions#findingsMax()}, counted but not kept
 */
public record VerificationReport(List<PeerSummary> peers, List<Finding> findings, int findingsOmitted) {
    /** Every peer agrees and every chain checks out. */
    public static final int EXIT_CONSISTENT = 0;
    /** Some check failed (or some peer could not be read); the report says which. */
    public static final int EXIT_INCONSISTENT = 1;

    /** Earlier heights first; at one height, in the order of {@link Check} (read failures, then chain checks, …). */
    private static final Comparator<Finding> ORDER =
            Comparator.comparingLong(Finding::height).thenComparing(Finding::check);

    public VerificationReport {
        peers = List.copyOf(peers);
        findings = findings.stream().sorted(ORDER).toList();
    }

    public boolean consistent() {
        return findings.isEmpty() && findingsOmitted == 0;
    }

    /** The first inconsistency by height: where the peers' histories part. */
    public Optional<Finding> firstDivergence() {
        return findings.stream().findFirst();
    }

    public int exitCode() {
        return consistent() ? EXIT_CONSISTENT : EXIT_INCONSISTENT;
    }

    public String toText() {
        StringBuilder text = new StringBuilder();
        if (consistent()) {
            long height = peers.stream().mapToLong(PeerSummary::height).max().orElse(0);
            text.append("CONSISTENT: ").append(peers.size()).append(" peers agree on ").append(height)
                    .append(" blocks; hash chains intact, state hashes equal, bank total unchanged\n");
        } else {
            Finding first = firstDivergence().orElseThrow();
            text.append("INCONSISTENT: first divergence at height ").append(first.height()).append(" (")
                    .append(first.check()).append(") on ").append(String.join(", ", first.peers())).append('\n');
        }
        int nameWidth = Math.max(4, peers.stream().mapToInt(p -> p.peer().length()).max().orElse(4));
        text.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %8s  %-17s %-17s %14s %8s%n",
                "peer", "height", "head hash", "state hash", "bank total", "accounts"));
        for (PeerSummary peer : peers) {
            text.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %8d  %-17s %-17s %14s %8d%s%n", peer.peer(),
                    peer.height(), ConsistencyVerifier.abbreviate(peer.headHash()),
                    peer.stateHash().map(ConsistencyVerifier::abbreviate).orElse("-"), peer.bankTotal(),
                    peer.bankAccounts(), peer.readError().map(e -> "  (unreadable)").orElse("")));
        }
        if (!findings.isEmpty()) {
            text.append("findings:\n");
            for (Finding finding : findings) {
                text.append("  ").append(finding).append('\n');
            }
        }
        if (findingsOmitted > 0) {
            text.append("  … and ").append(findingsOmitted).append(" more findings not kept\n");
        }
        return text.toString();
    }

    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("consistent", consistent());
        root.addProperty("exitCode", exitCode());
        firstDivergence().ifPresent(first -> root.add("firstDivergence", json(first)));
        JsonArray peerArray = new JsonArray();
        for (PeerSummary peer : peers) {
            JsonObject p = new JsonObject();
            p.addProperty("peer", peer.peer());
            p.addProperty("height", peer.height());
            p.addProperty("headHash", peer.headHash());
            peer.stateHash().ifPresent(hash -> p.addProperty("stateHash", hash));
            p.addProperty("bankTotal", peer.bankTotal().toString());
            p.addProperty("bankAccounts", peer.bankAccounts());
            peer.readError().ifPresent(error -> p.addProperty("readError", error));
            peerArray.add(p);
        }
        root.add("peers", peerArray);
        JsonArray findingArray = new JsonArray();
        findings.forEach(finding -> findingArray.add(json(finding)));
        root.add("findings", findingArray);
        root.addProperty("findingsOmitted", findingsOmitted);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    private static JsonObject json(Finding finding) {
        JsonObject object = new JsonObject();
        object.addProperty("check", finding.check().name());
        object.addProperty("height", finding.height());
        JsonArray peers = new JsonArray();
        finding.peers().forEach(peers::add);
        object.add("peers", peers);
        object.addProperty("detail", finding.detail());
        return object;
    }
}
