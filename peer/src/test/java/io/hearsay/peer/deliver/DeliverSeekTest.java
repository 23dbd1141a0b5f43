package io.hearsay.peer.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.TestChain;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliver's seek rules, driven by hand-made seek envelopes on a raw gRPC stub (what other SDKs and orderer
 * clients send): a finite stop ends with a SUCCESS status and the stream then serves another seek; Go's "infinite"
 * stop (uint64 max, −1 as a Java long) streams; malformed envelopes, stale timestamps, a stop before the start and
 * a start beyond the height get BAD_REQUEST or NOT_FOUND and a cleanly ended stream, never a gRPC error; a channel
 * closing under a live stream ends it with SERVICE_UNAVAILABLE.
 */
class DeliverSeekTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path cryptoDirectory;
    static SampleChannel sample;

    @TempDir
    Path directory;
    private TestChain chain;
    private TestEventServer server;
    private ManagedChannel connection;

    @BeforeAll
    static void generate() {
        sample = new SampleChannel(cryptoDirectory);
    }

    @BeforeEach
    void start() {
        chain = new TestChain(sample, directory.resolve("ledger"));
        chain.commit(chain.plain());
        chain.commit(chain.plain());
        chain.commit(chain.plain()); // height 4
        server = new TestEventServer(chain, DeliverConfig.defaults());
        connection = server.dial(server.channelClient());
    }

    @AfterEach
    void stop() throws Exception {
        connection.shutdownNow();
        server.close();
        chain.close();
    }

    /** Records a Deliver call's responses and how it ended. */
    private static final class Call implements StreamObserver<DeliverResponse> {
        final List<DeliverResponse> responses = new CopyOnWriteArrayList<>();
        final AtomicReference<String> end = new AtomicReference<>();
        StreamObserver<Envelope> requests;

        @Override
        public void onNext(DeliverResponse response) {
            responses.add(response);
        }

        @Override
        public void onError(Throwable error) {
            end.set("error " + error);
        }

        @Override
        public void onCompleted() {
            end.set("completed");
        }

        List<Long> blockNumbers() {
            return responses.stream().filter(DeliverResponse::hasBlock).map(r -> r.getBlock().getHeader().getNumber()).toList();
        }

        List<Status> statuses() {
            return responses.stream().filter(r -> r.getTypeCase() == DeliverResponse.TypeCase.STATUS)
                    .map(DeliverResponse::getStatus).toList();
        }
    }

    private Call open() {
        Call call = new Call();
        call.requests = DeliverGrpc.newStub(connection).withDeadlineAfter(30, TimeUnit.SECONDS).deliver(call);
        return call;
    }

    private static SeekPosition at(long number) {
        return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(number)).build();
    }

    private static Envelope seek(SeekPosition start, SeekPosition stop, Instant timestamp) {
        SigningIdentity client = sample.client;
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                .setChannelId(SampleChannel.CHANNEL)
                .setTimestamp(Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond()))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder().setCreator(client.identity().serialized()).build().toByteString()))
                .setData(SeekInfo.newBuilder().setStart(start).setStop(stop)
                        .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY).build().toByteString())
                .build();
        return Envelope.newBuilder()
                .setPayload(payload.toByteString())
                .setSignature(ByteString.copyFrom(client.sign(payload.toByteArray())))
                .build();
    }

    private static Envelope seek(SeekPosition start, SeekPosition stop) {
        return seek(start, stop, Instant.now());
    }

    @Test
    void aFiniteStopEndsWithSuccessAndTheStreamServesTheNextSeek() {
        Call call = open();
        call.requests.onNext(seek(at(1), at(2)));
        await().atMost(WAIT).until(() -> call.statuses().size() == 1);
        assertThat(call.blockNumbers()).containsExactly(1L, 2L);
        assertThat(call.statuses()).containsExactly(Status.SUCCESS);
        assertThat(call.end.get()).isNull(); // Fabric waits for another seek on the same stream

        call.requests.onNext(seek(SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build(),
                SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build()));
        await().atMost(WAIT).until(() -> call.statuses().size() == 2);
        assertThat(call.blockNumbers()).containsExactly(1L, 2L, 3L);

        call.requests.onCompleted();
        await().atMost(WAIT).until(() -> "completed".equals(call.end.get()));
    }

    @Test
    void goStyleInfiniteStopIsComparedUnsignedAndStreamsLive() {
        Call call = open();
        call.requests.onNext(seek(at(2), at(-1L))); // math.MaxUint64
        await().atMost(WAIT).until(() -> call.blockNumbers().size() == 2);
        chain.commit(chain.plain());
        await().atMost(WAIT).until(() -> call.blockNumbers().size() == 3);
        assertThat(call.blockNumbers()).containsExactly(2L, 3L, 4L);
        assertThat(call.statuses()).isEmpty();
        call.requests.onError(new RuntimeException("client goes away"));
        await().atMost(WAIT).until(() -> chain.feed.subscriptions() == 0);
    }

    @Test
    void aClosingChannelEndsLiveStreamsWithServiceUnavailable() {
        Call call = open();
        call.requests.onNext(seek(at(0), at(-1L)));
        await().atMost(WAIT).until(() -> call.blockNumbers().size() == 4);

        chain.feed.close("the test closes the channel");

        await().atMost(WAIT).until(() -> call.end.get() != null);
        assertThat(call.end.get()).isEqualTo("completed");
        assertThat(call.statuses()).containsExactly(Status.SERVICE_UNAVAILABLE);
    }

    @Test
    void refusedSeeksGetAStatusAndAnOrderlyEndAndTheServerKeepsServing() {
        assertRefused(Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("not a payload")).build(), Status.BAD_REQUEST);
        assertRefused(Envelope.getDefaultInstance(), Status.BAD_REQUEST);
        assertRefused(seek(at(0), at(1), Instant.now().minus(Duration.ofHours(1))), Status.BAD_REQUEST);
        assertRefused(seek(at(3), at(1)), Status.BAD_REQUEST);
        assertRefused(seek(at(-2L), at(-1L)), Status.NOT_FOUND); // a start beyond the height, read unsigned
        assertRefused(seek(at(9), at(10)), Status.NOT_FOUND);
        Envelope tampered = seek(at(0), at(1)).toBuilder().setSignature(ByteString.copyFrom(new byte[70])).build();
        assertRefused(tampered, Status.FORBIDDEN);

        Call call = open();
        call.requests.onNext(seek(at(0), at(0)));
        await().atMost(WAIT).until(() -> call.statuses().size() == 1);
        assertThat(call.blockNumbers()).containsExactly(0L);
        assertThat(chain.feed.subscriptions()).isZero();
    }

    @Test
    void aTimeWindowFromAnotherClockRefusesCurrentRequests() throws Exception {
        TimeWindow tomorrow = new TimeWindow(Duration.ofMinutes(15), InstantSource.fixed(Instant.now().plus(Duration.ofDays(1))));
        try (TestEventServer skewed = new TestEventServer(chain, DeliverConfig.defaults(), tomorrow)) {
            ManagedChannel skewedConnection = skewed.dial(skewed.channelClient());
            try {
                Call call = new Call();
                call.requests = DeliverGrpc.newStub(skewedConnection).withDeadlineAfter(30, TimeUnit.SECONDS).deliver(call);
                call.requests.onNext(seek(at(0), at(0)));
                await().atMost(WAIT).until(() -> call.end.get() != null);
                assertThat(call.statuses()).containsExactly(Status.BAD_REQUEST);
            } finally {
                skewedConnection.shutdownNow();
            }
        }
    }

    private void assertRefused(Envelope envelope, Status expected) {
        Call call = open();
        call.requests.onNext(envelope);
        await().atMost(WAIT).until(() -> call.end.get() != null);
        assertThat(call.end.get()).isEqualTo("completed");
        assertThat(call.blockNumbers()).isEmpty();
        assertThat(call.statuses()).containsExactly(expected);
    }
}
