package io.hearsay.testnet.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.identity.PkiId;
import io.hearsay.peer.transport.LinkFaults.Rule;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The control line that carries a peer's link faults to its JVM: every field of a rule survives the trip, a link
 * without faults is left out, and each malformed line is refused with a reason the peer's log can show.
 */
class FaultsCommandTest {
    static final PkiId FIRST = peer(1);
    static final PkiId SECOND = peer(2);

    static PkiId peer(int value) {
        byte[] bytes = new byte[PkiId.LENGTH_BYTES];
        Arrays.fill(bytes, (byte) value);
        return PkiId.fromBytes(bytes);
    }

    @Test
    void aCommandIsOneLineThatReadsBackToItself() {
        Map<PkiId, Rule> peers = new TreeMap<>(Map.of(FIRST, new Rule(0.25, 20, 5, true, true), SECOND, Rule.NONE));
        FaultsCommand command = new FaultsCommand(7, -42, new Rule(0.05, 0, 0, false, false), new TreeMap<>(peers));

        String line = command.line();

        assertThat(line).isEqualTo("faults 7 seed=-42 *:loss=0.05 " + FIRST.toHex()
                + ":loss=0.25,latency=20ms,jitter=5ms,blocked,clogged");
        FaultsCommand read = FaultsCommand.parse(line);
        assertThat(read.generation()).isEqualTo(7);
        assertThat(read.seed()).isEqualTo(-42);
        assertThat(read.all()).isEqualTo(command.all());
        assertThat(read.peers()).as("a link without faults is left out").containsOnlyKeys(FIRST)
                .containsEntry(FIRST, peers.get(FIRST));
        assertThat(FaultsCommand.parse("faults 8 seed=1").peers()).as("a heal").isEmpty();
    }

    @Test
    void aMalformedLineIsRefusedWithItsReason() {
        refused("hello", "expected \"faults <generation> seed=<seed>");
        refused("faults 1", "expected");
        refused("faults one seed=1", "generation \"one\" is not a whole number");
        refused("faults 0 seed=1", "it counts from 1");
        refused("faults 1 seed=1 " + FIRST.toHex(), "has no ':<fields>'");
        refused("faults 1 seed=1 abc:blocked", "neither '*' nor a peer's PKI-ID in hex (64 digits)");
        refused("faults 1 seed=1 *:loss=2", "loss rate is 2.0; it must be between 0 and 1");
        refused("faults 1 seed=1 *:latency=20", "must be whole milliseconds, e.g. 20ms");
        refused("faults 1 seed=1 *:blocked=yes", "blocked takes no value");
        refused("faults 1 seed=1 *:drop=1", "unknown field(s) [drop]");
        refused("faults 1 seed=1 *:blocked,blocked", "field blocked is given twice");
        refused("faults 1 seed=1 " + FIRST.toHex() + ":blocked " + FIRST.toHex() + ":clogged", "is given twice");
    }

    private static void refused(String line, String reason) {
        assertThatThrownBy(() -> FaultsCommand.parse(line)).as(line).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
