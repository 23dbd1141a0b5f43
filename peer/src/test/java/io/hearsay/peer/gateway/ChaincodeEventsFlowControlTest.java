package io.hearsay.peer.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.deliver.EventServerFixture;
import io.hearsay.peer.deliver.PausedReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backpressure on ChaincodeEvents: a client that reads nothing makes the server stop taking blocks from the ledger
 * once gRPC's buffers are full, and reading again resumes the stream with every event in block order. Events of
 * 64 KiB and a 64 KiB HTTP/2 window make "full" come after a few of 40 blocks.
 */
class ChaincodeEventsFlowControlTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int EVENT_BLOCKS = 40;

    @RegisterExtension
    static final EventServerFixture node = EventServerFixture.perTestWithFixedWindow(chain -> {
        String large = "e".repeat(64 * 1024);
        for (int i = 0; i < EVENT_BLOCKS; i++) {
            chain.commit(chain.withEvent("kv", "put", large));
        }
    }, 64 * 1024);

    @Test
    void aClientThatDoesNotReadPausesTheServerUntilItReadsAgain() {
        // One response per block, in block order (the first event block is block 1).
        PausedReader<SignedChaincodeEventsRequest, ChaincodeEventsResponse> reader = new PausedReader<>(
                (response, index) -> response.getBlockNumber() == index + 1 && response.getEventsCount() == 1);
        GatewayGrpc.newStub(node.connection()).withDeadlineAfter(60, TimeUnit.SECONDS).chaincodeEvents(request(), reader);

        await().atMost(WAIT).until(() -> node.feed().taken() > 0);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> node.feed().taken() < EVENT_BLOCKS / 2);
        assertThat(reader.received()).isZero();

        reader.resume();

        await().atMost(WAIT).until(() -> reader.received() == EVENT_BLOCKS);
        assertThat(reader.inOrder()).isTrue();
    }

    private static SignedChaincodeEventsRequest request() {
        SampleChannel sample = node.sample();
        ByteString request = ChaincodeEventsRequest.newBuilder()
                .setChannelId(SampleChannel.CHANNEL)
                .setChaincodeId("kv")
                .setIdentity(sample.client.identity().serialized())
                .setStartPosition(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(1)))
                .build()
                .toByteString();
        return SignedChaincodeEventsRequest.newBuilder()
                .setRequest(request)
                .setSignature(ByteString.copyFrom(sample.client.sign(request.toByteArray())))
                .build();
    }
}
