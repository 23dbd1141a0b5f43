package io.hearsay.peer.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexTableTest {
    private static final long LEASE = 1_000;

    private static PkiId peer(int i) {
        byte[] bytes = new byte[PkiId.LENGTH_BYTES];
        bytes[0] = (byte) i;
        return PkiId.fromBytes(bytes);
    }

    private static List<PkiId> ids(IndexTable.Answer answer) {
        return answer.peers().stream().map(IndexTable.Entry::peer).toList();
    }

    private static IndexTable.Outcome register(IndexTable table, int i, String msp, long now) {
        return table.register(peer(i), msp, ByteString.copyFromUtf8("id" + i), "127.0.0.1:" + (7000 + i), "p" + i, now);
    }

    @Test
    void answersOnlyTheAskersOrganisationWithoutTheAsker() {
        IndexTable table = new IndexTable(100, LEASE, RandomSource.seeded(1));
        register(table, 1, "Org1MSP", 0);
        register(table, 2, "Org1MSP", 0);
        register(table, 3, "Org2MSP", 0);

        assertThat(ids(table.peersOf("Org1MSP", peer(1), 10, 10))).containsExactly(peer(2));
        assertThat(table.peersOf("Org1MSP", peer(1), 10, 10).complete()).isTrue();
        assertThat(ids(table.peersOf("Org2MSP", peer(1), 10, 10))).containsExactly(peer(3));
    }

    @Test
    void aLeaseNotRenewedExpiresAndARenewedOneStays() {
        IndexTable table = new IndexTable(100, LEASE, RandomSource.seeded(1));
        assertThat(register(table, 1, "Org1MSP", 0)).isEqualTo(IndexTable.Outcome.REGISTERED);
        register(table, 2, "Org1MSP", 0);
        assertThat(register(table, 2, "Org1MSP", 900)).isEqualTo(IndexTable.Outcome.RENEWED);

        assertThat(ids(table.peersOf("Org1MSP", peer(9), 10, 999))).containsExactly(peer(1), peer(2));
        assertThat(ids(table.peersOf("Org1MSP", peer(9), 10, 1_000))).containsExactly(peer(2));
        assertThat(table.size(1_900)).isZero();
    }

    @Test
    void aFullTableRefusesNewcomersUntilLeasesExpireButRenewsMembers() {
        IndexTable table = new IndexTable(2, LEASE, RandomSource.seeded(1));
        register(table, 1, "Org1MSP", 0);
        register(table, 2, "Org1MSP", 500);

        assertThat(register(table, 3, "Org1MSP", 600)).isEqualTo(IndexTable.Outcome.FULL);
        assertThat(register(table, 1, "Org1MSP", 600)).isEqualTo(IndexTable.Outcome.RENEWED);
        assertThat(register(table, 3, "Org1MSP", 1_500)).isEqualTo(IndexTable.Outcome.REGISTERED); // peer 2 expired
        assertThat(ids(table.peersOf("Org1MSP", peer(9), 10, 1_500))).containsExactly(peer(1), peer(3));
    }

    @Test
    void aLargeOrganisationIsSampledUniformlyAndReproduciblyFromTheSeed() {
        IndexTable first = new IndexTable(1_000, LEASE, RandomSource.seeded(42));
        IndexTable second = new IndexTable(1_000, LEASE, RandomSource.seeded(42));
        for (int i = 0; i < 100; i++) {
            register(first, i, "Org1MSP", 0);
            register(second, i, "Org1MSP", 0);
        }
        IndexTable.Answer answer = first.peersOf("Org1MSP", peer(0), 10, 1);
        assertThat(answer.complete()).as("a sample is not the whole organisation").isFalse();
        List<PkiId> sample = ids(answer);
        assertThat(sample).hasSize(10).doesNotHaveDuplicates().doesNotContain(peer(0)).isSorted();
        assertThat(ids(second.peersOf("Org1MSP", peer(0), 10, 1))).isEqualTo(sample);

        // Every peer is drawn about as often: 2,000 draws of 10 of 99 → ~202 each; a biased sampler would leave some near 0.
        int[] drawn = new int[100];
        for (int round = 0; round < 2_000; round++) {
            for (PkiId id : ids(first.peersOf("Org1MSP", peer(0), 10, 1))) {
                drawn[id.toBytes()[0] & 0xff]++;
            }
        }
        List<Integer> counts = new ArrayList<>();
        for (int i = 1; i < 100; i++) {
            counts.add(drawn[i]);
        }
        assertThat(counts).allSatisfy(count -> assertThat(count).isBetween(120, 300));
    }
}
