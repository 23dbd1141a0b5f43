package io.hearsay.testnet.launch;

import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.spec.OrganizationSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small networks and a quick-starting JVM for the tests that run one process per node. */
public final class TestNetworks {
    /** Several JVMs warm up at once on a small CI machine: the quick compiler alone starts them sooner. */
    public static final ProcessLauncher.JavaCommand QUICK_JAVA =
            ProcessLauncher.JavaCommand.current().withJvmOptions("-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private TestNetworks() {}

    /** Two organisations of one peer each and the orderer: the smallest network with a link between organisations. */
    public static NetworkSpec twoSinglePeerOrganizations(Path directory) {
        NetworkSpec defaults = NetworkSpec.defaults();
        List<OrganizationSpec> organizations = defaults.organizations().stream()
                .map(o -> new OrganizationSpec(o.mspId(), o.domain(), 1, List.of(0), Map.of())).toList();
        return new NetworkSpec(defaults.name(), defaults.model(), defaults.protocol(), organizations, defaults.orderer(),
                defaults.channels(), defaults.ports(), directory);
    }
}
