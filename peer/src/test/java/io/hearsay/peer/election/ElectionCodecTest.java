package io.hearsay.peer.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.auth.ContentWriter;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.gossip.auth.Codecs;
import io.hearsay.gossip.block.BlockMessage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The signed content of election messages: every field the election acts on changes it, it is bound to the channel,
 * and it can never coincide with a block message's content (so one protocol's signature cannot be reused for the other).
 */
class ElectionCodecTest {
    private static final ElectionCodec TEST = ElectionCodec.forChannel("testchannel");

    @Test
    void everyFieldAndTheChannelChangeTheSignedContent() {
        byte[] leading = TEST.signedContent(new ElectionMessage(true, 7));
        assertThat(TEST.signedContent(new ElectionMessage(true, 7))).isEqualTo(leading);
        assertThat(TEST.signedContent(new ElectionMessage(false, 7))).isNotEqualTo(leading);
        assertThat(TEST.signedContent(new ElectionMessage(true, 8))).isNotEqualTo(leading);
        assertThat(ElectionCodec.forChannel("second").signedContent(new ElectionMessage(true, 7))).isNotEqualTo(leading);
    }

    @Test
    void writingInPlaceGivesTheSameBytes() {
        ContentWriter out = new ContentWriter(4);
        TEST.writeSignedContent(new ElectionMessage(true, Long.MAX_VALUE), out);
        assertThat(Arrays.copyOf(out.buffer(), out.length())).isEqualTo(TEST.signedContent(new ElectionMessage(true, Long.MAX_VALUE)));
    }

    @Test
    void noBlockMessageSharesAnElectionMessagesContent() {
        byte[] election = TEST.signedContent(new ElectionMessage(false, 0));
        byte[] prune = Codecs.blocks("testchannel").signedContent(new BlockMessage.Prune());
        // Same channel prefix, then the type tag: election's lies outside block gossip's 1..8.
        int tagAt = prune.length - 1;
        assertThat(Arrays.copyOf(election, tagAt)).isEqualTo(Arrays.copyOf(prune, tagAt));
        assertThat((int) election[tagAt]).isEqualTo(ElectionCodec.TAG).isGreaterThan(8);
    }
}
