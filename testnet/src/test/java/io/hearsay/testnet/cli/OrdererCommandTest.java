package io.hearsay.testnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearsay orderer --config}: a bad option value is refused before anything starts, as exit code 2 and one line
 * naming the option.
 */
class OrdererCommandTest {

    private static Path config(Path directory) throws Exception {
        Path file = directory.resolve("orderer.yaml");
        Files.writeString(file, """
                mspId: OrdererMSP
                msp: %1$s/msp
                tls:
                  cert: %1$s/tls/server.crt
                  key: %1$s/tls/server.key
                channels:
                  - genesis: %1$s/testchannel.block
                """.formatted(directory));
        return file;
    }

    @Test
    void aBadBatchSizeNamesTheOption(@TempDir Path directory) throws Exception {
        CliRun run = CliRun.of("orderer", "--config", config(directory).toString(), "--set", "batch.maxMessages=0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error: ").contains("batch.maxMessages");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aBadDurationNamesTheOption(@TempDir Path directory) throws Exception {
        CliRun run = CliRun.of("orderer", "--config", config(directory).toString(), "--set", "batch.timeout=soon");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("batch.timeout");
    }

    @Test
    void theConfigOptionIsRequired() {
        CliRun run = CliRun.of("orderer");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--config");
    }
}
