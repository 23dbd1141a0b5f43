package io.hearsay.testnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearsay peer --config}: a bad option, from the file or from {@code --set}, or a bad launcher option
 * ({@code --control}), is refused before anything starts as exit code 2 and one line naming the option.
 */
class PeerCommandTest {

    private static Path config(Path directory, String extra) throws Exception {
        Path file = directory.resolve("peer.yaml");
        Files.writeString(file, """
                name: peer0.org1.example.com
                mspId: Org1MSP
                msp: %1$s/msp
                tls:
                  cert: %1$s/tls/server.crt
                  key: %1$s/tls/server.key
                channels:
                  - name: testchannel
                    genesis: %1$s/testchannel.block
                orderer: 127.0.0.1:7050
                """.formatted(directory) + extra);
        return file;
    }

    @Test
    void aBadFlagValueNamesTheOption(@TempDir Path directory) throws Exception {
        CliRun run = CliRun.of("peer", "--config", config(directory, "").toString(), "--set", "listen=127.0.0.1:70000");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error: ").contains("listen")
                .contains("port must be between 0 and 65535");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aBadFileValueNamesTheOption(@TempDir Path directory) throws Exception {
        CliRun run = CliRun.of("peer", "--config", config(directory, "gossip:\n  preset: galactic\n").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("gossip.preset").contains("galactic");
    }

    @Test
    void aMisspeltOptionIsRefused(@TempDir Path directory) throws Exception {
        CliRun run = CliRun.of("peer", "--config", config(directory, "lisen: 127.0.0.1:7051\n").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("unknown option [lisen]");
    }

    @Test
    void aMissingConfigFileIsOneLine(@TempDir Path directory) {
        CliRun run = CliRun.of("peer", "--config", directory.resolve("absent.yaml").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("cannot read the config file");
    }

    @Test
    void aControlChannelOtherThanStdinIsRefused(@TempDir Path directory) throws Exception {
        CliRun run = CliRun.of("peer", "--config", config(directory, "").toString(), "--control", "tcp");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("--control takes 'stdin'").contains("'tcp'");
    }

    @Test
    void anAcknowledgementFileWithoutTheControlChannelIsRefused(@TempDir Path directory) throws Exception {
        CliRun run = CliRun.of("peer", "--config", config(directory, "").toString(), "--control-ack",
                directory.resolve("control.ack").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("--control-ack needs --control stdin");
    }
}
