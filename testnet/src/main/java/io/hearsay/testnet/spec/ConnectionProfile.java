package io.hearsay.testnet.spec;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.hearsay.identity.CryptoMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * How to reach a running network: {@code connection.json} in its data directory, read by the Fabric Gateway SDK
 * examples, {@code hearsay verify} and users' own tools. The field names are an interface people rely on; add
 * fields, never rename one:
 *
 * <pre>
 * {"name": "hearsay",                                 (extra: the network's name)
 *  "channels": ["testchannel"],
 *  "organizations": [
 *    {"mspId": "Org1MSP",
 *     "peers": [{"name": "peer0.org1.example.com", "endpoint": "127.0.0.1:7051", "tlsCaCert": "/…/ca.crt",
 *                "serverName": "peer0.org1.example.com",
 *                "operations": "http://127.0.0.1:7052"}],   (extra, optional: health, metrics, /status)
 *     "client": {"cert": "/…/cert.pem", "key": "/…/priv_sk", "tlsCert": "/…/client.crt", "tlsKey": "/…/client.key"}}]}
 * </pre>
 *
 * Paths are written absolute; relative ones in a hand-written profile are resolved against the profile's directory.
 */
public record ConnectionProfile(String name, List<String> channels, List<Organization> organizations) {
    public static final String FILE_NAME = "connection.json";

    public ConnectionProfile {
        channels = List.copyOf(channels);
        organizations = List.copyOf(organizations);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a connection profile needs at least one channel");
        }
        if (organizations.isEmpty()) {
            throw new IllegalArgumentException("a connection profile needs at least one organisation");
        }
    }

    /** One organisation: its peers and the client identity tools use to talk to them. */
    public record Organization(String mspId, List<Peer> peers, Client client) {
        public Organization {
            peers = List.copyOf(peers);
        }
    }

    /**
     * One peer.
     *
     * @param endpoint {@code host:port} of its gRPC services (Gateway, Deliver)
     * @param tlsCaCert its organisation's TLS CA certificate (PEM), to check the peer's TLS certificate
     * @param serverName the name in its TLS certificate, to check instead of the endpoint's host
     * @param operations base URL of its operations endpoint ({@code /status}, {@code /metrics}), if known
     */
    public record Peer(String name, String endpoint, Path tlsCaCert, String serverName, Optional<String> operations) {
        public Peer {
            if (endpoint == null || endpoint.lastIndexOf(':') <= 0) {
                throw new IllegalArgumentException("peer " + name + ": endpoint must be host:port, got " + endpoint);
            }
        }

        public String host() {
            return endpoint.substring(0, endpoint.lastIndexOf(':'));
        }

        public int port() {
            return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        }
    }

    /** A client identity's files (PEM): signing certificate and key, TLS client certificate and key. */
    public record Client(Path cert, Path key, Path tlsCert, Path tlsKey) {
        /** A user's files as the crypto generator wrote them: the one file in {@code signcerts/} and {@code keystore/}. */
        public static Client of(CryptoMaterial.Member user) {
            return new Client(singleFile(user.mspDirectory().resolve("signcerts")),
                    singleFile(user.mspDirectory().resolve("keystore")), user.tlsCertificate(), user.tlsKey());
        }

        private static Path singleFile(Path directory) {
            try (Stream<Path> files = Files.list(directory)) {
                List<Path> all = files.filter(Files::isRegularFile).toList();
                if (all.size() != 1) {
                    throw new IllegalStateException("expected exactly one file in " + directory + ", found " + all.size());
                }
                return all.get(0).toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    /** Where one running peer listens, as its launcher learned it (ports may have been picked free). */
    public record PeerAddress(String endpoint, Optional<String> operations) {}

    /**
     * The profile of a launched network: every peer of {@code spec} with its TLS files from {@code crypto} and its
     * address from {@code addresses} (by peer name), and per organisation its first client user (User1), or its
     * admin if it has no other user.
     */
    public static ConnectionProfile forNetwork(NetworkSpec spec, CryptoMaterial crypto,
            Function<String, PeerAddress> addresses) {
        List<Organization> organizations = new ArrayList<>();
        for (OrganizationSpec organizationSpec : spec.organizations()) {
            CryptoMaterial.Organization material = crypto.organization(organizationSpec.mspId());
            List<Peer> peers = new ArrayList<>();
            for (String name : organizationSpec.peerNames()) {
                CryptoMaterial.Member node = material.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no crypto material for peer " + name + " in "
                                + crypto.root() + "; was it generated for another spec?"));
                PeerAddress address = Objects.requireNonNull(addresses.apply(name), () -> "no address for peer " + name);
                peers.add(new Peer(name, address.endpoint(), node.tlsCaCertificate().toAbsolutePath(), name,
                        address.operations()));
            }
            List<CryptoMaterial.Member> users = material.users();
            organizations.add(new Organization(organizationSpec.mspId(), peers,
                    Client.of(users.size() > 1 ? users.get(1) : users.get(0))));
        }
        return new ConnectionProfile(spec.name(), spec.channelNames(), organizations);
    }

    public Organization organization(String mspId) {
        return organizations.stream().filter(o -> o.mspId().equals(mspId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no organisation " + mspId + " in connection profile "
                        + name + "; it has " + organizations.stream().map(Organization::mspId).toList()));
    }

    /** Every peer with its organisation, in profile order. */
    public List<PeerOf> peers() {
        List<PeerOf> all = new ArrayList<>();
        organizations.forEach(o -> o.peers().forEach(p -> all.add(new PeerOf(o, p))));
        return all;
    }

    /** A peer and the organisation it belongs to (whose client identity reaches it). */
    public record PeerOf(Organization organization, Peer peer) {}

    /** Writes this profile as JSON to {@code file}, replacing it atomically, so a reader never sees half of it. */
    public void write(Path file) {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try {
            Files.createDirectories(absolute.getParent());
            Files.writeString(temporary, toJson(), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write connection profile " + absolute + ": " + e.getMessage(), e);
        }
    }

    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("name", name);
        JsonArray channelArray = new JsonArray();
        channels.forEach(channelArray::add);
        root.add("channels", channelArray);
        JsonArray organizationArray = new JsonArray();
        for (Organization organization : organizations) {
            JsonObject org = new JsonObject();
            org.addProperty("mspId", organization.mspId());
            JsonArray peerArray = new JsonArray();
            for (Peer peer : organization.peers()) {
                JsonObject p = new JsonObject();
                p.addProperty("name", peer.name());
                p.addProperty("endpoint", peer.endpoint());
                p.addProperty("tlsCaCert", peer.tlsCaCert().toAbsolutePath().toString());
                p.addProperty("serverName", peer.serverName());
                peer.operations().ifPresent(url -> p.addProperty("operations", url));
                peerArray.add(p);
            }
            org.add("peers", peerArray);
            JsonObject client = new JsonObject();
            client.addProperty("cert", organization.client().cert().toAbsolutePath().toString());
            client.addProperty("key", organization.client().key().toAbsolutePath().toString());
            client.addProperty("tlsCert", organization.client().tlsCert().toAbsolutePath().toString());
            client.addProperty("tlsKey", organization.client().tlsKey().toAbsolutePath().toString());
            org.add("client", client);
            organizationArray.add(org);
        }
        root.add("organizations", organizationArray);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    /**
     * Reads a profile; relative paths in it are resolved against {@code file}'s directory.
     *
     * @throws IllegalArgumentException if the file is missing or not a profile; the message names the field
     */
    public static ConnectionProfile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no connection profile at " + file.toAbsolutePath()
                    + "; 'hearsay up' writes one into the network's data directory and prints its path");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read connection profile " + file + ": " + e.getMessage(), e);
        }
        try {
            return fromJson(text, file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("connection profile " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses profile JSON, resolving relative paths against {@code baseDirectory}. */
    public static ConnectionProfile fromJson(String json, Path baseDirectory) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
        ProfileFields root = ProfileFields.object("", parsed, baseDirectory);
        List<String> channels = new ArrayList<>();
        List<JsonElement> channelElements = root.array("channels");
        for (int i = 0; i < channelElements.size(); i++) {
            channels.add(ProfileFields.text(SpecPaths.index("channels", i), channelElements.get(i)));
        }
        List<Organization> organizations = new ArrayList<>();
        List<JsonElement> organizationElements = root.array("organizations");
        for (int i = 0; i < organizationElements.size(); i++) {
            organizations.add(readOrganization(ProfileFields.object(SpecPaths.index("organizations", i),
                    organizationElements.get(i), baseDirectory)));
        }
        return new ConnectionProfile(root.optionalText("name").orElse(NetworkSpec.DEFAULT_NAME), channels, organizations);
    }

    private static Organization readOrganization(ProfileFields fields) {
        List<Peer> peers = new ArrayList<>();
        List<JsonElement> peerElements = fields.array("peers");
        for (int i = 0; i < peerElements.size(); i++) {
            ProfileFields peer = fields.child(SpecPaths.index("peers", i), peerElements.get(i));
            String name = peer.text("name");
            peers.add(new Peer(name, peer.text("endpoint"), peer.path("tlsCaCert"),
                    peer.optionalText("serverName").orElse(name), peer.optionalText("operations")));
        }
        ProfileFields client = fields.child("client", fields.element("client"));
        return new Organization(fields.text("mspId"), peers,
                new Client(client.path("cert"), client.path("key"), client.path("tlsCert"), client.path("tlsKey")));
    }
}
