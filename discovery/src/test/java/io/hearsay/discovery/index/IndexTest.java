package io.hearsay.discovery.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.discovery.routing.OverlayFixture;
import io.hearsay.discovery.runtime.VirtualTime;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The central index: peers register and get peers from it, look each other up through it, and — the model's
 * weakness, shown — when the server is down every join fails, definitely, within attempts × request timeout.
 */
class IndexTest {
    private static final long SEED = 3;
    private static final PkiId SERVER = OverlayFixture.id(0);

    private final VirtualTime time = new VirtualTime();
    private final RandomSource random = RandomSource.seeded(SEED);
    private final Map<PkiId, IndexClient> clients = new HashMap<>();
    private IndexServer server;
    private boolean serverDown;

    private Transport<IndexMessage> transport(PkiId from) {
        return (to, message) -> time.schedule(1, () -> {
            if (to.equals(SERVER)) {
                if (!serverDown) {
                    server.onMessage(from, message);
                }
            } else if (!serverDown) {
                clients.get(to).onMessage(from, message);
            }
        });
    }

    private IndexClient client(int i, IndexConfig config) {
        PkiId self = OverlayFixture.id(i);
        IndexClient client = new IndexClient(SERVER, config, new PeerRuntime(time, time, random.fork()), transport(self));
        clients.put(self, client);
        return client;
    }

    @Test
    void peersRegisterAndGetPeers() {
        server = new IndexServer(IndexConfig.defaults(), random.fork(), transport(SERVER));
        List<IndexClient.JoinResult> results = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            client(i, IndexConfig.defaults()).join(results::add);
            time.advance(10);
        }
        assertThat(results).hasSize(50).allMatch(IndexClient.JoinResult::joined);
        assertThat(server.registeredPeers()).isEqualTo(50);
        assertThat(results.get(49).peers()).hasSize(IndexConfig.defaults().peersPerReply())
                .doesNotContain(OverlayFixture.id(50)).doesNotHaveDuplicates();
        List<IndexClient.LookupResult> lookups = new ArrayList<>();
        clients.get(OverlayFixture.id(1)).lookup(OverlayFixture.id(7), lookups::add);
        clients.get(OverlayFixture.id(1)).lookup(OverlayFixture.id(999), lookups::add);
        time.advance(100);
        assertThat(lookups).extracting(IndexClient.LookupResult::registered).containsExactly(true, false);
        List<java.util.Optional<List<PkiId>>> lists = new ArrayList<>();
        clients.get(OverlayFixture.id(1)).listPeers(1_000, lists::add);
        time.advance(100);
        assertThat(lists).singleElement().satisfies(list -> assertThat(list).hasValueSatisfying(
                peers -> assertThat(peers).hasSize(50).doesNotHaveDuplicates()));
        serverDown = true;
        clients.get(OverlayFixture.id(1)).listPeers(1_000, lists::add);
        time.advance(IndexConfig.defaults().attempts() * IndexConfig.defaults().requestTimeoutMillis());
        assertThat(lists).hasSize(2).last().isEqualTo(java.util.Optional.empty());
    }

    @Test
    void whenTheServerIsDownJoinsFailWithinTheBound() {
        server = new IndexServer(IndexConfig.defaults(), random.fork(), transport(SERVER));
        serverDown = true;
        List<IndexClient.JoinResult> results = new ArrayList<>();
        client(1, IndexConfig.defaults()).join(results::add);
        IndexConfig config = IndexConfig.defaults();
        time.advance(config.attempts() * config.requestTimeoutMillis());
        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.joined()).isFalse();
            assertThat(result.reason()).contains("did not answer");
        });
    }

    @Test
    void aFullIndexRefusesWithAReason() {
        server = new IndexServer(new IndexConfig(300, 3, 20, 2), random.fork(), transport(SERVER));
        List<IndexClient.JoinResult> results = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            client(i, IndexConfig.defaults()).join(results::add);
        }
        time.advance(100);
        assertThat(results).extracting(IndexClient.JoinResult::joined).containsExactly(true, true, false);
        assertThat(results.get(2).reason()).contains("registeredMax");
        assertThat(server.refusals()).isEqualTo(1);
    }
}
