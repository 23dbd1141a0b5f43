package io.hearsay.testnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.testnet.spec.ConnectionProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearsay up --once} in-process: the default network launches, the table shows every peer at the same height
 * with its links up, the network stops, and a second run resumes it from the same data directory.
 */
class UpCommandTest {

    @Test
    void upOncePrintsOneAgreedTableAndResumes(@TempDir Path directory) throws Exception {
        Path data = directory.resolve("net");

        CliRun first = CliRun.of("up", "--once", "--data-dir", data.toString(), "--timeout", "20");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("network hearsay created in " + data.toAbsolutePath())
                .contains("connection profile: " + data.resolve("connection.json").toAbsolutePath())
                .containsPattern("(?m)^PEER\\s+ORG\\s+CHANNEL\\s+HEIGHT\\s+HEAD\\s+LEADER\\s+NEIGHBOURS$")
                .containsPattern("(?m)^peer0\\.org1\\.example\\.com\\s+Org1MSP\\s+testchannel\\s+1\\s+[0-9a-f]{12}\\s+(yes|no)\\s+3/3$")
                .containsPattern("(?m)^peer1\\.org1\\.example\\.com\\s+Org1MSP\\s+testchannel\\s+1\\s+[0-9a-f]{12}\\s+(yes|no)\\s+2/2$")
                .containsPattern("(?m)^peer0\\.org2\\.example\\.com\\s+Org2MSP\\s+testchannel\\s+1\\s+[0-9a-f]{12}\\s+(yes|no)\\s+3/3$")
                .containsPattern("(?m)^peer1\\.org2\\.example\\.com\\s+Org2MSP\\s+testchannel\\s+1\\s+[0-9a-f]{12}\\s+(yes|no)\\s+2/2$");
        assertOneLeaderPerOrganization(first.out());
        assertThat(ConnectionProfile.read(data.resolve("connection.json")).peers()).hasSize(4);
        assertThat(data.resolve("peer1.org2.example.com").resolve("peer.yaml")).isRegularFile();
        assertThat(data.resolve("orderer").resolve("orderer.yaml")).isRegularFile();

        CliRun second = CliRun.of("up", "--once", "--data-dir", data.toString(), "--timeout", "20");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("network hearsay resumed in " + data.toAbsolutePath());
        assertThat(headHashes(first.out())).isEqualTo(headHashes(second.out())).hasSize(1);
    }

    @Test
    void upOnceWithProcessesRunsEveryNodeInItsOwnJvm(@TempDir Path directory) {
        Path data = directory.resolve("net");

        CliRun run = CliRun.of("up", "--processes", "--jvm-option=-XX:TieredStopAtLevel=1", "--once", "--data-dir",
                data.toString(), "--timeout", "30");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("(?m)^peer0\\.org2\\.example\\.com\\s+Org2MSP\\s+testchannel\\s+1\\s+[0-9a-f]{12}\\s+(yes|no)\\s+3/3$")
                .containsPattern("(?m)^peer1\\.org1\\.example\\.com\\s+Org1MSP\\s+testchannel\\s+1\\s+[0-9a-f]{12}\\s+(yes|no)\\s+2/2$");
        assertOneLeaderPerOrganization(run.out());
        assertThat(data.resolve("peer0.org1.example.com").resolve("node.log")).content().contains("listening on");
    }

    @Test
    void jvmOptionsWithoutProcessesAreAUsageError() {
        CliRun run = CliRun.of("up", "--once", "--jvm-option=-Xmx1g");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--jvm-option").contains("--processes");
    }

    @Test
    void aMissingSpecFileIsOneLineAndNothingStarts(@TempDir Path directory) throws Exception {
        CliRun run = CliRun.of("up", "--once", directory.resolve("absent.yaml").toString(), "--data-dir",
                directory.resolve("net").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error: ").contains("no spec file at");
        assertThat(Files.exists(directory.resolve("net"))).isFalse();
    }

    @Test
    void timeoutOutOfRangeIsAUsageError() {
        CliRun run = CliRun.of("up", "--once", "--timeout", "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("'--timeout'").contains("between 1 and 3600");
    }

    private static Set<String> headHashes(String out) {
        return out.lines().filter(l -> l.startsWith("peer")).map(l -> l.split("\\s+")[4])
                .collect(Collectors.toSet());
    }

    /** The elected leaders in a status table: exactly one "yes" per organisation. */
    private static void assertOneLeaderPerOrganization(String table) {
        for (String organization : java.util.List.of("Org1MSP", "Org2MSP")) {
            long leaders = table.lines().filter(line -> line.contains(" " + organization + " "))
                    .filter(line -> line.matches(".*\\s+yes\\s+\\d+/\\d+$")).count();
            assertThat(leaders).as("leaders of %s in%n%s", organization, table).isEqualTo(1);
        }
    }
}
