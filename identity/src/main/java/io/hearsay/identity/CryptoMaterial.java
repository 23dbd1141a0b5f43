package io.hearsay.identity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The crypto material of a network on disk, as {@link CryptoGen} wrote it, or as {@link #load} reads it
 * back (a restarted network keeps its identities).
 */
public record CryptoMaterial(Path root, List<Organization> organizations) {

    /** One organisation: its spec, folder, MSP (CAs), nodes (peers or orderers) and users (admin first). */
    public record Organization(OrgSpec spec, Path directory, OrganizationMsp msp, List<Member> nodes, List<Member> users) {
        public Organization {
            nodes = List.copyOf(nodes);
            users = List.copyOf(users);
        }

        public String mspId() {
            return spec.mspId();
        }

        public Member admin() {
            return users.get(0);
        }
    }

    /** One node or user: its signing identity and where its MSP folder and TLS files are. */
    public record Member(String name, Role role, SigningIdentity signingIdentity, Path mspDirectory,
            Path tlsCertificate, Path tlsKey, Path tlsCaCertificate) {}

    public CryptoMaterial {
        organizations = List.copyOf(organizations);
    }

    public Organization organization(String mspId) {
        return organizations.stream().filter(o -> o.mspId().equals(mspId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no organisation " + mspId + " in " + root));
    }

    public List<OrganizationMsp> msps() {
        return organizations.stream().map(Organization::msp).toList();
    }

    static Path organizationDirectory(Path root, OrgSpec spec) {
        return root.resolve(spec.kind().folder).resolve(spec.domain());
    }

    /** Reads back material that {@link CryptoGen} wrote for these organisations under {@code root}. */
    public static CryptoMaterial load(Path root, List<OrgSpec> specs) {
        List<Organization> organizations = new ArrayList<>();
        for (OrgSpec spec : specs) {
            Path directory = organizationDirectory(root, spec);
            OrganizationMsp msp = new OrganizationMsp(spec.mspId(),
                    Pem.decodeCertificate(MspFolders.readSingleFile(directory.resolve("msp").resolve("cacerts"))),
                    Pem.decodeCertificate(MspFolders.readSingleFile(directory.resolve("msp").resolve("tlscacerts"))));
            List<Member> nodes = new ArrayList<>();
            for (int i = 0; i < spec.nodeCount(); i++) {
                String name = spec.nodeName(i);
                nodes.add(loadMember(spec, name, spec.kind().nodeRole,
                        directory.resolve(spec.kind().nodesFolder).resolve(name), "server"));
            }
            List<Member> users = new ArrayList<>();
            users.add(loadMember(spec, "Admin@" + spec.domain(), Role.ADMIN,
                    directory.resolve("users").resolve("Admin@" + spec.domain()), "client"));
            for (int i = 1; i <= spec.userCount(); i++) {
                String user = "User" + i + "@" + spec.domain();
                users.add(loadMember(spec, user, Role.CLIENT, directory.resolve("users").resolve(user), "client"));
            }
            organizations.add(new Organization(spec, directory, msp, nodes, users));
        }
        return new CryptoMaterial(root, organizations);
    }

    private static Member loadMember(OrgSpec spec, String name, Role role, Path directory, String tlsName) {
        Path msp = directory.resolve("msp");
        Path tls = directory.resolve("tls");
        return new Member(name, role, SigningIdentity.load(msp, spec.mspId()), msp,
                tls.resolve(tlsName + ".crt"), tls.resolve(tlsName + ".key"), tls.resolve("ca.crt"));
    }
}
