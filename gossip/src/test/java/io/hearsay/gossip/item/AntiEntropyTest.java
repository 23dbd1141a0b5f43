package io.hearsay.gossip.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hearsay.identity.PkiId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy spreads an item to every peer in O(log n) rounds in each mode, never lets an older version
 * replace a newer one, and push/pull's end game is faster than push's.
 */
class AntiEntropyTest {
    private static final VersionedItem UPDATE = new VersionedItem("x", 1, ByteString.copyFromUtf8("v1"));

    /** Rounds until every one of {@code size} peers has the item, starting at one peer. */
    private static int roundsToAll(ExchangeMode mode, int size, long seed) {
        RoundNetwork network = new RoundNetwork(size, seed);
        Map<PkiId, AntiEntropy> peers = new LinkedHashMap<>();
        for (PkiId id : network.peers) {
            AntiEntropy peer = new AntiEntropy(new ItemStore(16), mode, 1, network.membershipOf(id),
                    network.random.fork(), network.transportOf(id), ItemListener.NONE);
            peers.put(id, peer);
            network.register(id, peer::onMessage);
        }
        peers.get(network.peers.get(0)).store().merge(UPDATE);
        for (int round = 1; round <= 200; round++) {
            network.round(id -> peers.get(id).onRound());
            if (peers.values().stream().allMatch(p -> p.store().get("x").isPresent())) {
                return round;
            }
        }
        throw new AssertionError("SEED=" + seed + ": " + mode + " did not reach all " + size + " peers in 200 rounds");
    }

    @Test
    void everyModeReachesEveryPeerInLogarithmicRounds() {
        for (ExchangeMode mode : ExchangeMode.values()) {
            for (long seed = 1; seed <= 5; seed++) {
                int rounds = roundsToAll(mode, 256, seed);
                // log2(256) = 8 plus the end game; push's is the slowest (about ln n more rounds).
                assertThat(rounds).as("SEED=%d %s", seed, mode).isBetween(4, 30);
            }
        }
    }

    @Test
    void pushPullConvergesFasterThanPushOnAverage() {
        int push = 0;
        int pushPull = 0;
        for (long seed = 1; seed <= 10; seed++) {
            push += roundsToAll(ExchangeMode.PUSH, 512, seed);
            pushPull += roundsToAll(ExchangeMode.PUSH_PULL, 512, seed);
        }
        assertThat(pushPull).as("total rounds over seeds 1..10").isLessThan(push);
    }

    @Test
    void olderVersionNeverReplacesNewer() {
        ItemStore store = new ItemStore(4);
        assertThat(store.merge(new VersionedItem("k", 5, ByteString.copyFromUtf8("five")))).isTrue();
        assertThat(store.merge(new VersionedItem("k", 3, ByteString.copyFromUtf8("three")))).isFalse();
        assertThat(store.merge(new VersionedItem("k", 5, ByteString.copyFromUtf8("other five")))).isFalse();
        assertThat(store.get("k").orElseThrow().value().toStringUtf8()).isEqualTo("five");
        assertThat(store.merge(new VersionedItem("k", 6, ByteString.copyFromUtf8("six")))).isTrue();
    }

    @Test
    void fullStoreRefusesNewKeysAndCountsThem() {
        ItemStore store = new ItemStore(2);
        store.merge(new VersionedItem("a", 1, ByteString.EMPTY));
        store.merge(new VersionedItem("b", 1, ByteString.EMPTY));
        assertThat(store.merge(new VersionedItem("c", 1, ByteString.EMPTY))).isFalse();
        assertThat(store.merge(new VersionedItem("a", 2, ByteString.EMPTY))).as("existing keys still update").isTrue();
        assertThat(store.refusedNewKeys()).isEqualTo(1);
        assertThatThrownBy(() -> new ItemStore(0)).hasMessageContaining("itemsMax");
    }

    @Test
    void pullAnswersOnlyWithWhatIsNewer() {
        ItemStore store = new ItemStore(8);
        store.merge(new VersionedItem("a", 2, ByteString.EMPTY));
        store.merge(new VersionedItem("b", 1, ByteString.EMPTY));
        assertThat(store.newerThan(java.util.List.of(new ItemDigest("a", 2), new ItemDigest("b", 0))))
                .extracting(VersionedItem::key).containsExactly("b");
        assertThat(store.newerThan(java.util.List.of(new ItemDigest("a", 9), new ItemDigest("b", 1)))).isEmpty();
    }

    @Test
    void pushFromAnEmptyStoreSendsNothing() {
        RoundNetwork network = new RoundNetwork(4, 1);
        PkiId self = network.peers.get(0);
        AntiEntropy peer = new AntiEntropy(new ItemStore(4), ExchangeMode.PUSH, 2, network.membershipOf(self),
                network.random, network.transportOf(self), ItemListener.NONE);
        peer.onRound();
        assertThat(network.messagesSent).isZero();
    }
}
