package io.hearsay.testnet.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.testnet.demo.NetworkDemo;
import io.hearsay.testnet.faults.ChaosScenario;
import io.hearsay.testnet.faults.Scenario;
import io.hearsay.testnet.spec.NetworkSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's chaos test: random kills and restarts, partitions, loss and latency while bank transfers run through the
 * Fabric Gateway SDK; after healing, the ledgers must agree (verified through Deliver), every transaction the client
 * saw committed VALID must be in every peer's ledger, and the bank total must be unchanged. The seed is printed; run
 * again with {@code -Dchaos.seed=N} (or {@code hearsay demo --chaos-seed N}) to replay a failure.
 */
class ChaosTest {
    private static final long SEED = Long.getLong("chaos.seed", 20261124L);

    @Test
    void theLedgersAgreeAfterRandomFaultsUnderLoad(@TempDir Path directory) throws Exception {
        Scenario scenario = ChaosScenario.generate(SEED, NetworkSpec.defaults().peersByOrganization(), Duration.ofSeconds(20), 25);
        System.out.println("chaos SEED=" + SEED + " (replay: -Dchaos.seed=" + SEED + ")");
        StringWriter output = new StringWriter();
        NetworkDemo demo = new NetworkDemo(new NetworkDemo.Config(100, 1_000, 6, scenario), new PrintWriter(output, true));

        NetworkDemo.Result result = demo.run(directory.resolve("network"));
        demo.report(result);

        assertThat(result.passed()).as("SEED=%d%n%s", SEED, output).isTrue();
        assertThat(result.valid()).as("SEED=%d: transfers committed through the faults", SEED).isPositive();
        assertThat(result.audit().missingValid()).as("SEED=%d", SEED).isEmpty();
        assertThat(result.verification().consistent()).as("SEED=%d%n%s", SEED, output).isTrue();
    }
}
