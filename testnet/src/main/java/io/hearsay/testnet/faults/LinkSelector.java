package io.hearsay.testnet.faults;

import java.util.Objects;

/**
 * Which links a loss or latency step affects: the links between anything matching {@code end} and anything matching
 * {@code otherEnd}, in both directions. Each end is a peer name ({@code peer0.org1.example.com}), an organisation's
 * MSP id ({@code Org1MSP}: all its peers), or {@value #ANY} (every peer). In a scenario:
 *
 * <pre>
 * link: "*"                                   # every link of the network
 * link: peer0.org1.example.com                # every link of that peer
 * link: [Org1MSP, Org2MSP]                    # the links between the two organisations
 * link: [peer0.org1.example.com, Org2MSP]     # that peer's links to Org2's peers
 * </pre>
 */
public record LinkSelector(String end, String otherEnd) {
    public static final String ANY = "*";
    public static final LinkSelector ALL = new LinkSelector(ANY, ANY);

    public LinkSelector {
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(otherEnd, "otherEnd");
    }

    /** Every link of the peers {@code name} matches. */
    public static LinkSelector of(String name) {
        return new LinkSelector(name, ANY);
    }

    public boolean isAll() {
        return end.equals(ANY) && otherEnd.equals(ANY);
    }

    /**
     * Whether this selects the link between the two peers, given what each end matches: {@code matches(name,
     * peer)} says whether a selector end (peer name, MSP id or {@value #ANY}) matches a peer.
     */
    public <P> boolean selects(P a, P b, java.util.function.BiPredicate<String, P> matches) {
        return (matches.test(end, a) && matches.test(otherEnd, b)) || (matches.test(end, b) && matches.test(otherEnd, a));
    }

    @Override
    public String toString() {
        if (isAll()) {
            return ANY;
        }
        return otherEnd.equals(ANY) ? end : "[" + end + ", " + otherEnd + "]";
    }
}
