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
                .contains("channel testchannel: top height 1; 4/4 peers at the top, 0 catching up, 0 down")
                .containsPattern("(?m)^PEER\\s+ORG\\s+CHANNEL\\s+HEIGHT\\s+BEHIND\\s+HEAD\\s+LEADER\\s+NEIGHBOURS$")
                .containsPattern("(?m)^peer0\\.org1\\.example\\.com\\s+Org1MSP\\s+testchannel\\s+1\\s+0\\s+[0-9a-f]{12}\\s+(yes|no)\\s+3/3$")
                .containsPattern("(?m)^peer1\\.org1\\.example\\.com\\s+Org1MSP\\s+testchannel\\s+1\\s+0\\s+[0-9a-f]{12}\\s+(yes|no)\\s+2/2$")
                .containsPattern("(?m)^peer0\\.org2\\.example\\.com\\s+Org2MSP\\s+testchannel\\s+1\\s+0\\s+[0-9a-f]{12}\\s+(yes|no)\\s+3/3$")
                .containsPattern("(?m)^peer1\\.org2\\.example\\.com\\s+Org2MSP\\s+testchannel\\s+1\\s+0\\s+[0-9a-f]{12}\\s+(yes|no)\\s+2/2$");
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
        assertThat(run.out()).containsPattern("(?m)^peer0\\.org2\\.example\\.com\\s+Org2MSP\\s+testchannel\\s+1\\s+0\\s+[0-9a-f]{12}\\s+(yes|no)\\s+3/3$")
                .containsPattern("(?m)^peer1\\.org1\\.example\\.com\\s+Org1MSP\\s+testchannel\\s+1\\s+0\\s+[0-9a-f]{12}\\s+(yes|no)\\s+2/2$");
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

    @Test
    void upWithAScenarioKillsRestartsConvergesAndVerifies(@TempDir Path directory) throws Exception {
        Path scenario = Files.writeString(directory.resolve("kill-restart.yaml"), """
                name: kill-restart
                seed: 7
                steps:
                  - {at: 0s, load: {tps: 20}}
                  - {at: 2s, kill: peer1.org1.example.com}
                  - {at: 5s, restart: peer1.org1.example.com}
                  - {at: 8s, load: off}
                  - {at: 8s, converge: {timeout: 30s}}
                """);

        CliRun run = CliRun.of("up", "--scenario", scenario.toString(), "--data-dir", directory.resolve("net").toString(),
                "--timeout", "30");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("scenario kill-restart (seed 7): 5 steps")
                .containsPattern("(?m)^\\s*\\S+\\s+kill: peer1\\.org1\\.example\\.com\\s+done in")
                .containsPattern("(?m)^\\s*\\S+\\s+restart: peer1\\.org1\\.example\\.com\\s+done in")
                .containsPattern("(?m)^\\s*\\S+\\s+converge: \\{timeout: 30s}\\s+done in")
                .contains("scenario kill-restart (seed 7): passed")
                .doesNotContain("not verified")
                .endsWith("verdict: CONSISTENT" + System.lineSeparator());
    }

    @Test
    void upWithProcessesRunsASigkillScenario(@TempDir Path directory) throws Exception {
        Path scenario = Files.writeString(directory.resolve("crash.yaml"), """
                name: crash
                steps:
                  - {at: 0s, load: {tps: 20}}
                  - {at: 3s, sigkill: peer1.org2.example.com}
                  - {at: 4s, kill: peer1.org1.example.com}
                  - {at: 7s, restart: peer1.org2.example.com}
                  - {at: 7s, restart: peer1.org1.example.com}
                  - {at: 11s, load: off}
                  - {at: 11s, converge: {timeout: 40s}}
                """);
        Path data = directory.resolve("net");

        CliRun run = CliRun.of("up", "--processes", "--jvm-option=-XX:TieredStopAtLevel=1", "--scenario",
                scenario.toString(), "--data-dir", data.toString(), "--timeout", "40");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("(?m)^\\s*\\S+\\s+sigkill: peer1\\.org2\\.example\\.com\\s+done in")
                .containsPattern("(?m)^\\s*\\S+\\s+kill: peer1\\.org1\\.example\\.com\\s+done in")
                .contains("scenario crash (seed 1): passed")
                .endsWith("verdict: CONSISTENT" + System.lineSeparator());
        // Each crashed peer's JVM was started twice, both writing to the same log.
        assertThat(data.resolve("peer1.org2.example.com").resolve("node.log")).content()
                .containsPattern("(?s)listening on.*listening on");
    }

    @Test
    void aScenarioStepTheNetworkCannotDoFailsTheRun(@TempDir Path directory) throws Exception {
        Path scenario = Files.writeString(directory.resolve("sigkill.yaml"), """
                steps:
                  - {at: 0s, sigkill: peer0.org1.example.com}
                  - {at: 1s, converge: {timeout: 10s}}
                """);

        CliRun run = CliRun.of("up", "--scenario", scenario.toString(), "--data-dir", directory.resolve("net").toString(),
                "--timeout", "30");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).containsPattern("sigkill: peer0\\.org1\\.example\\.com\\s+FAILED: .*--processes")
                .contains("1 later step(s) not run").contains("verdict: SCENARIO FAILED");
    }

    @Test
    void aScenarioNamingAnUnknownPeerIsOneLineAndNothingStarts(@TempDir Path directory) throws Exception {
        Path scenario = Files.writeString(directory.resolve("typo.yaml"), """
                steps:
                  - {at: 0s, kill: peer9.org1.example.com}
                """);

        CliRun run = CliRun.of("up", "--scenario", scenario.toString(), "--data-dir", directory.resolve("net").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error: ")
                .contains("peer9.org1.example.com").contains("peer0.org1.example.com");
        assertThat(Files.exists(directory.resolve("net"))).isFalse();
    }

    private static Set<String> headHashes(String out) {
        return out.lines().filter(l -> l.startsWith("peer")).map(l -> l.split("\\s+")[5])
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
