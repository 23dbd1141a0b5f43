package io.hearsay.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * What a certificate's holder is, written as the certificate's OU, as Fabric's NodeOUs do. A gossip peer
 * must hold a {@code PEER} certificate, a block signer an {@code ORDERER} certificate.
 */
public enum Role {
    PEER,
    ORDERER,
    ADMIN,
    CLIENT;

    /** The OU value in the certificate subject, as Fabric's cryptogen writes it. */
    public String organizationalUnit() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromOrganizationalUnit(String ou) {
        for (Role role : values()) {
            if (role.organizationalUnit().equals(ou)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
