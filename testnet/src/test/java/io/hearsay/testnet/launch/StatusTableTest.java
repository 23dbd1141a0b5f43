package io.hearsay.testnet.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code hearsay up}'s status table shows progress: a line per channel with the network's top height and how many
 * peers are at it, catching up or down, and per peer how many blocks it lacks and what share of the chain it holds.
 */
class StatusTableTest {
    private static final String HEAD = "3f2a9c01d4e5b6a7";

    @Test
    void aPeerBehindTheTopShowsHowFarAndHowMuchItHolds() {
        String table = StatusTable.render(List.of(
                new PeerRow("peer0.org1.example.com", "Org1MSP", "testchannel", 40, HEAD, true, 3, 3),
                new PeerRow("peer1.org1.example.com", "Org1MSP", "testchannel", 30, HEAD, false, 2, 2),
                new PeerRow("peer0.org2.example.com", "Org2MSP", "testchannel", 40, HEAD, true, 3, 3),
                new PeerRow("peer1.org2.example.com", "Org2MSP", "testchannel", PeerRow.UNREACHABLE, "", false, 0, 2)));

        assertThat(table.lines().toList()).containsExactly(
                "channel testchannel: top height 40; 2/4 peers at the top, 1 catching up, 1 down",
                "PEER                    ORG      CHANNEL      HEIGHT  BEHIND    HEAD          LEADER  NEIGHBOURS",
                "peer0.org1.example.com  Org1MSP  testchannel  40      0         3f2a9c01d4e5  yes     3/3",
                "peer1.org1.example.com  Org1MSP  testchannel  30      10 (75%)  3f2a9c01d4e5  no      2/2",
                "peer0.org2.example.com  Org2MSP  testchannel  40      0         3f2a9c01d4e5  yes     3/3",
                "peer1.org2.example.com  Org2MSP  testchannel  down    -         -             no      0/2");
    }

    @Test
    void eachChannelHasItsOwnTopHeight() {
        String table = StatusTable.render(List.of(
                new PeerRow("peer0.org1.example.com", "Org1MSP", "alpha", 5, HEAD, true, 1, 1),
                new PeerRow("peer0.org1.example.com", "Org1MSP", "beta", 9, HEAD, true, 1, 1),
                new PeerRow("peer0.org2.example.com", "Org2MSP", "alpha", 5, HEAD, true, 1, 1),
                new PeerRow("peer0.org2.example.com", "Org2MSP", "beta", 3, HEAD, true, 1, 1)));

        assertThat(table).startsWith("""
                channel alpha: top height 5; 2/2 peers at the top, 0 catching up, 0 down
                channel beta: top height 9; 1/2 peers at the top, 1 catching up, 0 down
                """);
        assertThat(table).containsPattern("(?m)^peer0\\.org2\\.example\\.com\\s+Org2MSP\\s+beta\\s+3\\s+6 \\(33%\\)\\s");
        assertThat(table).containsPattern("(?m)^peer0\\.org2\\.example\\.com\\s+Org2MSP\\s+alpha\\s+5\\s+0\\s");
    }
}
