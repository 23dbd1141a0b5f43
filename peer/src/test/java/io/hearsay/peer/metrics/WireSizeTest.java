package io.hearsay.peer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.wire.BlockWire;
import io.hearsay.peer.wire.ElectionWire;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The receiving side counts bytes with {@link WireSize}, from the decoded message; this proves it equals the length
 * of what {@link BlockWire} and {@link ElectionWire} encode for every message type, with fields at zero (omitted
 * on the wire) and at large values (longer varints), so the bytes received match the bytes the sender counted.
 */
class WireSizeTest {
    @TempDir
    static Path directory;
    static Block block;

    @BeforeAll
    static void chain() {
        SampleChannel channel = new SampleChannel(directory);
        block = channel.next(channel.genesis, channel.put("k", "v"), channel.put("other", "value"));
    }

    static Stream<BlockMessage> blockMessages() {
        ByteString hash = ByteString.copyFrom(new byte[32]);
        return Stream.of(
                new BlockMessage.Push(block, true), new BlockMessage.Push(block, false),
                new BlockMessage.Announce(1, hash, 1234, true), new BlockMessage.Announce(0, hash, 0, false),
                new BlockMessage.Request(Long.MAX_VALUE, hash, true), new BlockMessage.Request(0, hash, false),
                new BlockMessage.Heartbeat(300, hash, true), new BlockMessage.Heartbeat(0, hash, false),
                new BlockMessage.RangeRequest(7, 10, 20), new BlockMessage.RangeRequest(0, 0, 1),
                new BlockMessage.RangeResponse(7, List.of(block, block)), new BlockMessage.RangeResponse(0, List.of()),
                new BlockMessage.Prune(), new BlockMessage.Graft());
    }

    @ParameterizedTest
    @MethodSource("blockMessages")
    void blockMessageSizeIsTheEncodedLength(BlockMessage message) {
        for (long sequence : new long[] {0, 1, 1_732_000_000_000_000L, Long.MAX_VALUE}) {
            SignedMessage<BlockMessage> signed = new SignedMessage<>(signer(), sequence, message, new byte[71]);
            assertThat(WireSize.ofBlockMessage("testchannel", signed))
                    .isEqualTo(BlockWire.encode("testchannel", signed).length);
        }
    }

    @ParameterizedTest
    @MethodSource("elections")
    void electionSizeIsTheEncodedLength(ElectionMessage message) {
        SignedMessage<ElectionMessage> signed = new SignedMessage<>(signer(), 99, message, new byte[72]);
        assertThat(WireSize.ofElection("a-channel-with-é", signed))
                .isEqualTo(ElectionWire.encode("a-channel-with-é", signed).length);
    }

    static Stream<ElectionMessage> elections() {
        return Stream.of(new ElectionMessage(true, 5), new ElectionMessage(false, 0),
                new ElectionMessage(true, Long.MAX_VALUE));
    }

    private static PkiId signer() {
        byte[] bytes = new byte[PkiId.LENGTH_BYTES];
        bytes[3] = 9;
        return PkiId.fromBytes(bytes);
    }
}
