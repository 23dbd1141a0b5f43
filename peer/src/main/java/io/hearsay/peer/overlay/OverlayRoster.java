package io.hearsay.peer.overlay;

import io.hearsay.discovery.anchor.AnchorRoster;
import io.hearsay.identity.Identity;
import io.hearsay.identity.IdentityException;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The anchors this node believes in: the configured {@link AnchorSpec}s whose certificate really is of the
 * organisation the spec claims (validated against that organisation's CA) and whose organisation the channel knows.
 * Any other spec is refused as an anchor, with its reason kept for the log and the status: a peer whose certificate
 * says another organisation than the spec claims never becomes an anchor of it.
 *
 * @param refusals one line per refused spec, saying which and why
 */
public record OverlayRoster(AnchorRoster roster, SortedMap<PkiId, AnchorSpec> specs, List<String> refusals) {
    public OverlayRoster {
        specs = Collections.unmodifiableSortedMap(new TreeMap<>(specs));
        refusals = List.copyOf(refusals);
    }

    /**
     * @throws IllegalArgumentException if no spec is left: the overlay cannot run without an anchor
     */
    public static OverlayRoster build(List<AnchorSpec> anchors, MspDirectory organizations, Set<String> channelOrganizations) {
        TreeMap<PkiId, AnchorSpec> accepted = new TreeMap<>();
        TreeMap<PkiId, String> organizationByAnchor = new TreeMap<>();
        List<String> refusals = new ArrayList<>();
        for (AnchorSpec spec : anchors) {
            Identity identity = spec.identity();
            String refusal = refusal(spec, identity, organizations, channelOrganizations);
            if (refusal == null && accepted.containsKey(identity.pkiId())) {
                refusal = "it is listed twice";
            }
            if (refusal != null) {
                refusals.add("anchor '" + identity.commonName() + "' of " + spec.mspId() + " at " + spec.endpoint()
                        + " refused: " + refusal);
                continue;
            }
            accepted.put(identity.pkiId(), spec);
            organizationByAnchor.put(identity.pkiId(), spec.mspId());
        }
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("no usable anchor in the configuration" + (refusals.isEmpty() ? ""
                    : ": " + String.join("; ", refusals)) + "; name at least one anchor per organisation, with its own certificate");
        }
        return new OverlayRoster(new AnchorRoster(organizationByAnchor), accepted, refusals);
    }

    private static String refusal(AnchorSpec spec, Identity identity, MspDirectory organizations,
            Set<String> channelOrganizations) {
        if (!channelOrganizations.contains(spec.mspId())) {
            return "organisation " + spec.mspId() + " is not in the channel configuration " + channelOrganizations;
        }
        try {
            organizations.validate(identity.serialized());
            return null;
        } catch (IdentityException e) {
            return "its certificate is not a valid member of " + spec.mspId() + " (" + e.getMessage() + ")";
        }
    }

    public Optional<AnchorSpec> spec(PkiId anchor) {
        return Optional.ofNullable(specs.get(anchor));
    }

    /** The organisation the roster names {@code anchor} an anchor of, if it does. */
    public Optional<String> organization(PkiId anchor) {
        return Optional.ofNullable(roster.organizationByAnchor().get(anchor));
    }
}
