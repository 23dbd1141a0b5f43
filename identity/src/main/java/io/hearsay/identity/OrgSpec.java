package io.hearsay.identity;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One organisation for {@link CryptoGen}: its MSP id, its DNS domain (names its nodes, as in Fabric's
 * {@code crypto-config.yaml}), whether it runs peers or orderers, how many, how many client users besides
 * the admin, and extra host names to put in every node's TLS certificate.
 */
public record OrgSpec(String mspId, String domain, Kind kind, int nodeCount, int userCount, List<String> hostNames) {
    /** Nodes of one organisation, like users, are limited so a typo cannot fill a disk with keys. */
    public static final int NODES_MAX = 1000;

    private static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    /** Whether the organisation's nodes are peers or orderers. */
    public enum Kind {
        PEER("peerOrganizations", "peers", "peer", Role.PEER),
        ORDERER("ordererOrganizations", "orderers", "orderer", Role.ORDERER);

        final String folder;
        final String nodesFolder;
        final String nodePrefix;
        final Role nodeRole;

        Kind(String folder, String nodesFolder, String nodePrefix, Role nodeRole) {
            this.folder = folder;
            this.nodesFolder = nodesFolder;
            this.nodePrefix = nodePrefix;
            this.nodeRole = nodeRole;
        }
    }

    public OrgSpec {
        Objects.requireNonNull(kind, "kind");
        hostNames = List.copyOf(hostNames);
        if (mspId == null || !MSP_ID.matcher(mspId).matches()) {
            throw new IllegalArgumentException("mspId '" + mspId
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (domain == null || !DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("domain '" + domain + "' of " + mspId
                    + " must be a lower-case DNS name such as org1.example.com");
        }
        if (nodeCount < 1 || nodeCount > NODES_MAX) {
            throw new IllegalArgumentException("nodeCount of " + mspId + " is " + nodeCount
                    + "; it must be between 1 and " + NODES_MAX);
        }
        if (userCount < 0 || userCount > NODES_MAX) {
            throw new IllegalArgumentException("userCount of " + mspId + " is " + userCount
                    + "; it must be between 0 and " + NODES_MAX);
        }
    }

    /** A peer organisation with {@code peers} peers and one client user. */
    public static OrgSpec peers(String mspId, String domain, int peers) {
        return new OrgSpec(mspId, domain, Kind.PEER, peers, 1, List.of());
    }

    /** An orderer organisation with {@code orderers} orderers and no client users. */
    public static OrgSpec orderers(String mspId, String domain, int orderers) {
        return new OrgSpec(mspId, domain, Kind.ORDERER, orderers, 0, List.of());
    }

    /** The host name of node {@code index}, e.g. {@code peer0.org1.example.com}. */
    public String nodeName(int index) {
        return kind.nodePrefix + index + "." + domain;
    }
}
