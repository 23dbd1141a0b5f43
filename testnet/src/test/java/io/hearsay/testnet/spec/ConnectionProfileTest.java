package io.hearsay.testnet.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection profile: what the writer produces reads back equal, carries exactly the documented field names
 * (users' tools depend on them), points at real crypto files, and a broken profile is refused naming the field.
 */
class ConnectionProfileTest {
    @TempDir
    Path directory;

    @Test
    void aWrittenProfileReadsBackEqual() {
        ConnectionProfile profile = profileOf(new SampleChannel(directory.resolve("crypto"), 2, 2).crypto);
        Path file = directory.resolve("net").resolve(ConnectionProfile.FILE_NAME);

        profile.write(file);

        assertThat(ConnectionProfile.read(file)).isEqualTo(profile);
        assertThat(directory.resolve("net")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void theJsonUsesTheDocumentedFieldNamesAndPointsAtRealFiles() {
        ConnectionProfile profile = profileOf(new SampleChannel(directory.resolve("crypto"), 2, 2).crypto);

        JsonObject json = JsonParser.parseString(profile.toJson()).getAsJsonObject();

        assertThat(json.keySet()).containsExactlyInAnyOrder("name", "channels", "organizations");
        assertThat(json.getAsJsonArray("channels").get(0).getAsString()).isEqualTo("testchannel");
        JsonObject org1 = json.getAsJsonArray("organizations").get(0).getAsJsonObject();
        assertThat(org1.keySet()).containsExactlyInAnyOrder("mspId", "peers", "client");
        assertThat(org1.get("mspId").getAsString()).isEqualTo("Org1MSP");
        JsonObject peer = org1.getAsJsonArray("peers").get(1).getAsJsonObject();
        assertThat(peer.keySet()).containsExactlyInAnyOrder("name", "endpoint", "tlsCaCert", "serverName", "operations");
        assertThat(peer.get("endpoint").getAsString()).isEqualTo("127.0.0.1:7053");
        assertThat(peer.get("serverName").getAsString()).isEqualTo("peer1.org1.example.com");
        assertThat(Path.of(peer.get("tlsCaCert").getAsString())).isRegularFile();
        JsonObject client = org1.getAsJsonObject("client");
        assertThat(client.keySet()).containsExactlyInAnyOrder("cert", "key", "tlsCert", "tlsKey");
        for (String field : client.keySet()) {
            assertThat(Path.of(client.get(field).getAsString())).isAbsolute().isRegularFile();
        }
        assertThat(Path.of(client.get("cert").getAsString()).toString()).contains("signcerts");
    }

    @Test
    void relativePathsAreTakenFromTheProfilesDirectoryAndOptionalFieldsDefault() throws Exception {
        Path file = Files.writeString(directory.resolve(ConnectionProfile.FILE_NAME), """
                {"channels": ["c"], "organizations": [{"mspId": "Org1MSP",
                  "peers": [{"name": "peer0.org1.example.com", "endpoint": "localhost:7051", "tlsCaCert": "tls/ca.crt"}],
                  "client": {"cert": "u/cert.pem", "key": "u/key", "tlsCert": "u/tls.crt", "tlsKey": "u/tls.key"}}]}
                """);

        ConnectionProfile profile = ConnectionProfile.read(file);

        ConnectionProfile.Peer peer = profile.organization("Org1MSP").peers().get(0);
        assertThat(peer.tlsCaCert()).isEqualTo(directory.resolve("tls/ca.crt"));
        assertThat(peer.serverName()).isEqualTo("peer0.org1.example.com");
        assertThat(peer.operations()).isEmpty();
        assertThat(peer.host()).isEqualTo("localhost");
        assertThat(peer.port()).isEqualTo(7051);
        assertThat(profile.name()).isEqualTo(NetworkSpec.DEFAULT_NAME);
    }

    @Test
    void aBrokenProfileIsRefusedNamingTheField() throws Exception {
        Path missingClient = Files.writeString(directory.resolve("a.json"),
                "{\"channels\": [\"c\"], \"organizations\": [{\"mspId\": \"Org1MSP\", \"peers\": []}]}");
        Path numberName = Files.writeString(directory.resolve("b.json"), "{\"channels\": [7], \"organizations\": []}");
        Path notJson = Files.writeString(directory.resolve("c.json"), "{channels");

        assertThatThrownBy(() -> ConnectionProfile.read(missingClient)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("organizations[0].client is missing");
        assertThatThrownBy(() -> ConnectionProfile.read(numberName)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("channels[0] must be a JSON string");
        assertThatThrownBy(() -> ConnectionProfile.read(notJson)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ConnectionProfile.read(directory.resolve("none.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no connection profile at");
    }

    /** The default network's profile over the sample crypto, with the fixed port layout of base 7050. */
    static ConnectionProfile profileOf(CryptoMaterial crypto) {
        NetworkSpec spec = NetworkSpec.defaults();
        PortSpec ports = new PortSpec("127.0.0.1", 7050);
        List<String> names = spec.organizations().stream().flatMap(o -> o.peerNames().stream()).toList();
        return ConnectionProfile.forNetwork(spec, crypto, name -> new ConnectionProfile.PeerAddress(
                "127.0.0.1:" + ports.peerPort(names.indexOf(name)),
                Optional.of("http://127.0.0.1:" + ports.operationsPort(names.indexOf(name)))));
    }

    @Test
    void aProfileForAnotherSpecsCryptoIsRefused() {
        CryptoMaterial crypto = new SampleChannel(directory.resolve("crypto"), 2, 1).crypto; // one peer per org

        assertThatThrownBy(() -> profileOf(crypto)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no crypto material for peer peer1.org1.example.com in ");
    }
}
