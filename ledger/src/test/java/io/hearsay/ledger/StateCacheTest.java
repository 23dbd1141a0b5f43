package io.hearsay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateCacheTest {

    @Test
    void aKeyIsCachedWithItsValueOrAsAbsent() {
        StateCache cache = new StateCache(1024);
        cache.putCommitted(key("a"), bytes("1"));
        cache.putCommitted(key("b"), null);
        assertThat(cache.get(key("a"))).isEqualTo(bytes("1"));
        assertThat(cache.get(key("b"))).isSameAs(StateCache.ABSENT);
        assertThat(cache.get(key("c"))).as("never cached").isNull();
    }

    @Test
    void durableWritesReplaceTheCachedValuesAndADeleteMakesTheKeyAbsent() {
        StateCache cache = new StateCache(1024);
        cache.putCommitted(key("a"), bytes("1"));
        cache.putCommitted(key("b"), bytes("1"));
        Map<StoredKey, byte[]> writes = new HashMap<>();
        writes.put(key("a"), bytes("2"));
        writes.put(key("b"), null);
        writes.put(key("c"), bytes("3"));
        cache.applyDurable(writes);
        assertThat(cache.get(key("a"))).isEqualTo(bytes("2"));
        assertThat(cache.get(key("b"))).isSameAs(StateCache.ABSENT);
        assertThat(cache.get(key("c"))).isEqualTo(bytes("3"));
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.bytes()).isEqualTo(3 * (StateCache.ENTRY_OVERHEAD_BYTES + 1) + 2);
    }

    @Test
    void theLeastRecentlyUsedEntriesLeaveOnceTheBytesPassTheBound() {
        long entry = StateCache.ENTRY_OVERHEAD_BYTES + 2; // a one-byte key and a one-byte value
        StateCache cache = new StateCache(3 * entry);
        cache.putCommitted(key("a"), bytes("1"));
        cache.putCommitted(key("b"), bytes("1"));
        cache.putCommitted(key("c"), bytes("1"));
        cache.get(key("a")); // a is now the most recently used
        cache.putCommitted(key("d"), bytes("1"));
        assertThat(cache.get(key("b"))).as("least recently used").isNull();
        assertThat(cache.get(key("a"))).isNotNull();
        assertThat(cache.get(key("c"))).isNotNull();
        assertThat(cache.get(key("d"))).isNotNull();
        assertThat(cache.bytes()).isEqualTo(3 * entry);

        cache.putCommitted(key("e"), new byte[(int) (3 * entry)]); // larger than the whole bound
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void aZeroBoundCachesNothingAndANegativeOneIsRefused() {
        StateCache off = new StateCache(0);
        off.putCommitted(key("a"), bytes("1"));
        off.applyDurable(Map.of(key("b"), bytes("2")));
        assertThat(off.get(key("a"))).isNull();
        assertThat(off.size()).isZero();
        assertThatThrownBy(() -> new StateCache(-1)).hasMessageContaining("bytesMax is -1");
        assertThatThrownBy(() -> LedgerOptions.defaults().withStateCacheBytes(-1))
                .hasMessageContaining("stateCacheBytes is -1");
    }

    private static StoredKey key(String key) {
        return new StoredKey(bytes(key));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
