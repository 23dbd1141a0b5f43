package io.hearsay.discovery.election;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.swim.AliveRecord;
import io.hearsay.discovery.swim.MemberMetadata;
import io.hearsay.discovery.swim.MemberRole;
import io.hearsay.identity.PkiId;
import org.junit.jupiter.api.Test;

/** The SWIM-fed view keeps live peers of this peer's organisation only, with the height in their metadata. */
class MembershipOrganizationViewTest {
    private static AliveRecord record(int peer, String organization, long height) {
        return new AliveRecord(ElectionCluster.id(peer), organization, "peer" + peer + ":7051", "", 1, 0,
                MemberMetadata.of(MemberRole.PEER).withLedger(height, ByteString.EMPTY), new byte[0]);
    }

    @Test
    void tracksLivePeersOfItsOrganizationAndTheirHeights() {
        PkiId self = ElectionCluster.id(0);
        MembershipOrganizationView view = new MembershipOrganizationView(self, "Org1MSP", () -> 42);
        view.memberAlive(record(0, "Org1MSP", 42));
        view.memberAlive(record(1, "Org1MSP", 10));
        view.memberAlive(record(2, "Org2MSP", 99));
        view.memberAlive(record(3, "Org1MSP", 20));
        view.memberUpdated(record(1, "Org1MSP", 15));
        assertThat(view.livePeerHeights()).containsOnlyKeys(ElectionCluster.id(1), ElectionCluster.id(3));
        assertThat(view.livePeerHeights().get(ElectionCluster.id(1))).isEqualTo(15);
        view.memberDead(ElectionCluster.id(3), 1, self);
        assertThat(view.livePeerHeights()).containsOnlyKeys(ElectionCluster.id(1));
        assertThat(view.localHeight()).isEqualTo(42);
    }

    @Test
    void aDeathReachesTheAttachedElectionAtOnce() {
        ElectionCluster cluster = new ElectionCluster(3, ElectionConfig.lan(), 3);
        cluster.heights[0] = 100;
        cluster.heights[1] = 90;
        cluster.heights[2] = 80;
        cluster.start();
        cluster.advance(4_000);
        assertThat(cluster.leaders()).containsExactly(0);
        MembershipOrganizationView view = new MembershipOrganizationView(ElectionCluster.id(1), "Org1MSP", () -> 90);
        view.memberAlive(record(0, "Org1MSP", 100));
        view.memberAlive(record(2, "Org1MSP", 80));
        view.attach(cluster.elections[1]);
        cluster.crash(0);
        view.memberDead(ElectionCluster.id(0), 1, ElectionCluster.id(2));
        cluster.advance(5);
        assertThat(cluster.leaders()).containsExactly(1);
    }
}
