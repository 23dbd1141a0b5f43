package io.hearsay.peer.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.node.OrdererProcessConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The orderer's {@code index:} section: off by default, on with its documented defaults, bad values named. */
class OrdererIndexConfigTest {
    private static Map<String, Object> minimal() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("mspId", "OrdererMSP");
        tree.put("msp", "msp");
        tree.put("tls", Map.of("cert", "tls.crt", "key", "tls.key"));
        tree.put("channels", List.of(Map.of("genesis", "testchannel.block")));
        return tree;
    }

    private static OrdererProcessConfig parse(Map<String, Object> tree, Map<String, String> environment) {
        return OrdererProcessConfig.from(ConfigTree.of("orderer.yaml", tree, "HEARSAY_ORDERER", environment, Map.of()));
    }

    @Test
    void noIndexUnlessEnabled() {
        assertThat(parse(minimal(), Map.of()).index()).isEmpty();
    }

    @Test
    void enabledWithDefaultsOrTheGivenValues() {
        Map<String, Object> tree = minimal();
        tree.put("index", Map.of("enabled", true));
        assertThat(parse(tree, Map.of()).index()).contains(IndexServerSettings.defaults());

        tree.put("index", Map.of("enabled", true, "lease", "10s", "peersMax", 50));
        IndexServerSettings settings = parse(tree, Map.of()).index().orElseThrow();
        assertThat(settings.leaseMillis()).isEqualTo(10_000);
        assertThat(settings.peersMax()).isEqualTo(50);

        assertThat(parse(minimal(), Map.of("HEARSAY_ORDERER_INDEX_ENABLED", "true")).index()).isPresent();
    }

    @Test
    void aBadValueIsNamed() {
        Map<String, Object> tree = minimal();
        tree.put("index", Map.of("enabled", true, "lease", "1ms"));
        assertThatThrownBy(() -> parse(tree, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("index.lease");
    }
}
