package io.hearsay.testnet.spec;

import io.hearsay.identity.OrgSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One peer organisation of a network.
 *
 * @param mspId its MSP id, e.g. {@code Org1MSP}: 1–64 letters, digits, '.', '_' or '-'.
 * @param domain its DNS domain, e.g. {@code org1.example.com}; its peers are {@code peer0.<domain>}, … (as
 *     Fabric's cryptogen names them), which is also the TLS server name clients check.
 * @param peers how many peers it runs: 1 to {@value #PEERS_MAX}.
 * @param anchors indexes of its anchor peers (super-nodes): the peers other organisations see and, in the
 *     hybrid model, the ones ordinary peers attach to. Default {@code [0]}: one anchor, as in Fabric's samples.
 *     The hybrid model needs at least one, and two give ordinary peers a second parent to fail over to.
 * @param externalEndpoints peer index → the {@code host:port} other organisations should dial it at, for a
 *     peer behind NAT or a port mapping; {@code auto} advertises its own listen address. A peer listed here is
 *     visible across organisations even if it is not an anchor (Fabric's {@code externalEndpoint}). Default
 *     none: only anchors are visible outside the organisation, at their listen address.
 */
public record OrganizationSpec(String mspId, String domain, int peers, List<Integer> anchors,
        Map<Integer, String> externalEndpoints) {

    public static final int PEERS_MAX = 64;
    /** Advertise the peer's own listen address as its external endpoint. */
    public static final String AUTO_ENDPOINT = "auto";

    static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:([0-9]{1,5})");

    public OrganizationSpec {
        anchors = List.copyOf(anchors);
        externalEndpoints = Collections.unmodifiableMap(new TreeMap<>(externalEndpoints));
        checkMspId("mspId", mspId);
        checkDomain("domain", domain);
        SpecException.checkRange("peers", peers, 1, PEERS_MAX);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < anchors.size(); i++) {
            String path = SpecPaths.index("anchors", i);
            int anchor = anchors.get(i);
            if (anchor < 0 || anchor >= peers) {
                throw new SpecException(path, "must name one of this organisation's " + peers
                        + " peers, an index between 0 and " + (peers - 1) + ", got " + anchor);
            }
            if (!seen.add(anchor)) {
                throw new SpecException(path, "peer " + anchor + " is listed twice");
            }
        }
        for (Map.Entry<Integer, String> entry : externalEndpoints.entrySet()) {
            String path = SpecPaths.join("externalEndpoints", String.valueOf(entry.getKey()));
            if (entry.getKey() < 0 || entry.getKey() >= peers) {
                throw new SpecException(path, "must name one of this organisation's " + peers
                        + " peers, an index between 0 and " + (peers - 1));
            }
            checkEndpoint(path, entry.getValue());
        }
    }

    /** Two peers, the first an anchor: the default organisation. */
    public static OrganizationSpec of(String mspId, String domain, int peers) {
        return new OrganizationSpec(mspId, domain, peers, List.of(0), Map.of());
    }

    /** The host name of peer {@code index}, e.g. {@code peer0.org1.example.com}: its TLS server name too. */
    public String peerName(int index) {
        if (index < 0 || index >= peers) {
            throw new IndexOutOfBoundsException("peer " + index + " of " + mspId + ", which has " + peers);
        }
        return "peer" + index + "." + domain;
    }

    public List<String> peerNames() {
        List<String> names = new ArrayList<>(peers);
        for (int i = 0; i < peers; i++) {
            names.add(peerName(i));
        }
        return names;
    }

    public boolean isAnchor(int index) {
        return anchors.contains(index);
    }

    /** What the crypto generator needs to create this organisation's identities. */
    public OrgSpec cryptoSpec() {
        return OrgSpec.peers(mspId, domain, peers);
    }

    static void checkMspId(String path, String mspId) {
        if (mspId == null || !MSP_ID.matcher(mspId).matches()) {
            throw new SpecException(path, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, got "
                    + SpecValues.describe(mspId));
        }
    }

    static void checkDomain(String path, String domain) {
        if (domain == null || !DOMAIN.matcher(domain).matches()) {
            throw new SpecException(path, "must be a lower-case DNS name such as org1.example.com, got "
                    + SpecValues.describe(domain));
        }
    }

    private static void checkEndpoint(String path, String endpoint) {
        if (AUTO_ENDPOINT.equals(endpoint)) {
            return;
        }
        var matcher = endpoint == null ? null : HOST_PORT.matcher(endpoint);
        if (matcher == null || !matcher.matches() || Integer.parseInt(matcher.group(1)) < 1
                || Integer.parseInt(matcher.group(1)) > 65_535) {
            throw new SpecException(path, "must be host:port with a port between 1 and 65535, or " + AUTO_ENDPOINT
                    + ", got " + SpecValues.describe(endpoint));
        }
    }
}
