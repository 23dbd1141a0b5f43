package io.hearsay.peer.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.ledger.sample.SampleChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backpressure end to end (pitfall P13): a Deliver client that reads nothing makes the server stop taking blocks
 * from the ledger once gRPC's buffers are full — the feed subscription pauses on {@code isReady() == false} — and
 * when the client starts reading, {@code onReady} resumes it and every block arrives in order. Blocks of 64 KiB and
 * a 64 KiB HTTP/2 window make "full" come after a few blocks out of 40.
 */
class DeliverFlowControlTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BLOCKS = 40;

    @RegisterExtension
    static final EventServerFixture node = EventServerFixture.perTestWithFixedWindow(chain -> {
        String large = "x".repeat(64 * 1024);
        for (int i = 1; i < BLOCKS; i++) {
            chain.commit(chain.sample.put("large" + i, large));
        }
    }, 64 * 1024);

    @Test
    void aClientThatDoesNotReadPausesTheServerUntilItReadsAgain() {
        PausedReader<Envelope, DeliverResponse> reader = new PausedReader<>(
                (response, index) -> response.getBlock().getHeader().getNumber() == index);
        DeliverGrpc.newStub(node.connection()).withDeadlineAfter(60, TimeUnit.SECONDS).deliver(reader).onNext(seek());

        await().atMost(WAIT).until(() -> node.feed().taken() > 0);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> node.feed().taken() < BLOCKS / 2);
        int takenWhileBlocked = node.feed().taken();
        assertThat(reader.received()).isZero();

        reader.resume();

        await().atMost(WAIT).until(() -> reader.received() == BLOCKS);
        assertThat(node.feed().taken()).isEqualTo(BLOCKS).isGreaterThan(takenWhileBlocked);
        assertThat(reader.inOrder()).isTrue();
    }

    private static Envelope seek() {
        SampleChannel sample = node.sample();
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                .setChannelId(SampleChannel.CHANNEL)
                .setTimestamp(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder()
                                .setCreator(sample.client.identity().serialized()).build().toByteString()))
                .setData(SeekInfo.newBuilder()
                        .setStart(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(0)))
                        .setStop(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(Long.MAX_VALUE)))
                        .build().toByteString())
                .build();
        return Envelope.newBuilder()
                .setPayload(payload.toByteString())
                .setSignature(ByteString.copyFrom(sample.client.sign(payload.toByteArray())))
                .build();
    }
}
