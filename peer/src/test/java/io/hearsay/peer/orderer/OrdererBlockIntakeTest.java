package io.hearsay.peer.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.MspDirectory;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's block intake driven through scripted Deliver streams and virtual time: the seek request is the one
 * Fabric's peers send, signed by the peer; blocks are handed over in order; every way a stream can end leads to a
 * new stream after a jittered, growing backoff that starts from the peer's height at that moment; close stops it all.
 * Flow control: a stream may deliver at most the window beyond the committed height, and is allowed more as commits
 * are reported.
 */
class OrdererBlockIntakeTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final ByteString TLS_HASH = ByteString.copyFromUtf8("0123456789abcdef0123456789abcdef");

    @TempDir
    static Path cryptoDirectory;
    private static SampleChannel channel;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final ScriptedStreams streams = new ScriptedStreams();
    private final AtomicLong height = new AtomicLong(5);
    private final List<Block> received = new ArrayList<>();

    @BeforeAll
    static void generateCrypto() {
        channel = new SampleChannel(cryptoDirectory);
    }

    private static final int WINDOW = 4;

    private OrdererBlockIntake intake() {
        return new OrdererBlockIntake(new OrdererBlockIntake.Settings(SampleChannel.CHANNEL, 100, 1_000, WINDOW), channel.org1Peer,
                TLS_HASH, streams, height::get, received::add, scheduler, RandomSource.seeded(7),
                InstantSource.fixed(NOW));
    }

    private static DeliverResponse block(long number) {
        return DeliverResponse.newBuilder()
                .setBlock(Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(number)))
                .build();
    }

    private static long seekStart(Envelope seek) throws Exception {
        return SeekInfo.parseFrom(Payload.parseFrom(seek.getPayload()).getData()).getStart().getSpecified().getNumber();
    }

    @Test
    void asksForEveryBlockFromTheHeightWithARequestSignedByThePeer() throws Exception {
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            assertThat(streams.opened).hasSize(1);
            Envelope seek = streams.opened.get(0).seek;

            Payload payload = Payload.parseFrom(seek.getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            assertThat(header.getType()).isEqualTo(HeaderType.DELIVER_SEEK_INFO_VALUE);
            assertThat(header.getChannelId()).isEqualTo(SampleChannel.CHANNEL);
            assertThat(Instant.ofEpochSecond(header.getTimestamp().getSeconds(), header.getTimestamp().getNanos())).isEqualTo(NOW);
            assertThat(header.getTlsCertHash()).isEqualTo(TLS_HASH);
            assertThat(header.getTxId()).as("Fabric's seek requests carry no transaction id").isEmpty();
            SignatureHeader signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
            assertThat(signatureHeader.getCreator()).isEqualTo(channel.org1Peer.identity().serialized());
            assertThat(signatureHeader.getNonce()).isEmpty();

            SeekInfo seekInfo = SeekInfo.parseFrom(payload.getData());
            assertThat(seekInfo.getStart().getSpecified().getNumber()).isEqualTo(5);
            assertThat(seekInfo.getStop().getSpecified().getNumber()).isEqualTo(Long.MAX_VALUE);
            assertThat(seekInfo.getBehavior()).isEqualTo(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);

            MspDirectory organizations = new MspDirectory(channel.crypto.msps(), InstantSource.system());
            assertThatCode(() -> organizations.verify(signatureHeader.getCreator(), seek.getPayload(),
                    seek.getSignature().toByteArray())).doesNotThrowAnyException();
        }
    }

    @Test
    void handsOverBlocksInOrder() {
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            ScriptedStream stream = streams.opened.get(0);
            stream.responses.onNext(block(5));
            stream.responses.onNext(block(6));
            assertThat(received).extracting(b -> b.getHeader().getNumber()).containsExactly(5L, 6L);
            assertThat(stream.cancelled).isFalse();
        }
    }

    @Test
    void allowsTheWindowBeyondTheCommittedHeightAndMoreAsBlocksCommit() {
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            ScriptedStream stream = streams.opened.get(0);
            assertThat(stream.allowed).as("blocks 5..8 allowed at first").isEqualTo(WINDOW);
            stream.deliverBlocks(5, 9);
            intake.onCommitted(5);
            assertThat(stream.allowed).as("nothing committed yet: no more").isEqualTo(WINDOW);
            intake.onCommitted(7);
            assertThat(stream.allowed).as("blocks 5 and 6 committed: 9 and 10 allowed").isEqualTo(WINDOW + 2);
            intake.onCommitted(6);
            assertThat(stream.allowed).as("an older height changes nothing").isEqualTo(WINDOW + 2);
            stream.deliver(block(9));
            stream.deliver(block(10));
            assertThat(received).extracting(b -> b.getHeader().getNumber()).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(stream.cancelled).isFalse();
        }
    }

    @Test
    void aHeightFarAheadOfTheStreamLetsItRunThroughTheBlocksBelow() {
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            ScriptedStream stream = streams.opened.get(0);
            // Neighbours' gossip took the ledger to 1,000: blocks 5..999 still come on the stream, and gossip drops
            // them as old, so no commit will ever be reported for them.
            intake.onCommitted(1_000);
            assertThat(stream.allowed).as("blocks 5..1003").isEqualTo(1_000 + WINDOW - 5);
        }
    }

    @Test
    void aStreamThatDeliversBeyondWhatWasAllowedIsReplaced() {
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            ScriptedStream stream = streams.opened.get(0);
            for (long number = 5; number < 10; number++) {
                stream.responses.onNext(block(number)); // ignores flow control, as a broken transport would
            }
            assertThat(received).extracting(b -> b.getHeader().getNumber()).containsExactly(5L, 6L, 7L, 8L);
            assertThat(stream.cancelled).isTrue();
            assertThat(scheduler.pendingDelays()).hasSize(1);
        }
    }

    @Test
    void aNewStreamGetsAFullWindowFromTheHeightItSeeksFrom() throws Exception {
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            ScriptedStream first = streams.opened.get(0);
            first.deliverBlocks(5, 9);
            intake.onCommitted(6);
            first.responses.onCompleted();
            intake.onCommitted(7);
            height.set(7);
            scheduler.advance(100);
            ScriptedStream second = streams.opened.get(1);
            assertThat(seekStart(second.seek)).isEqualTo(7);
            assertThat(second.allowed).as("blocks 7..10").isEqualTo(WINDOW);
            assertThat(first.allowed).as("an ended stream is asked for nothing").isEqualTo(WINDOW + 1);
        }
    }

    @Test
    void reconnectsFromTheCurrentHeightAfterTheStreamFails() throws Exception {
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            streams.opened.get(0).responses.onNext(block(5));
            height.set(6);
            streams.opened.get(0).responses.onError(Status.UNAVAILABLE.withDescription("orderer gone").asRuntimeException());
            assertThat(intake.streaming()).isFalse();
            // First backoff: jittered in [50, 100] ms.
            assertThat(scheduler.pendingDelays()).singleElement().satisfies(d -> assertThat(d).isBetween(50L, 100L));
            scheduler.advance(100);
            assertThat(streams.opened).hasSize(2);
            assertThat(seekStart(streams.opened.get(1).seek)).isEqualTo(6);
            streams.opened.get(1).responses.onNext(block(6));
            assertThat(received).extracting(b -> b.getHeader().getNumber()).containsExactly(5L, 6L);
        }
    }

    @Test
    void backsOffLongerAfterEachFailureUpToTheMaximumAndResetsOnABlock() {
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            long[] ceilings = {100, 200, 400, 800, 1_000, 1_000};
            for (int i = 0; i < ceilings.length; i++) {
                streams.opened.get(i).responses.onCompleted();
                long ceiling = ceilings[i];
                assertThat(scheduler.pendingDelays()).as("backoff after failure %d", i + 1).singleElement()
                        .satisfies(d -> assertThat(d).isBetween(ceiling / 2, ceiling));
                scheduler.advance(ceiling);
            }
            ScriptedStream last = streams.opened.get(ceilings.length);
            last.responses.onNext(block(5));
            last.responses.onError(Status.INTERNAL.asRuntimeException());
            assertThat(scheduler.pendingDelays()).as("a block resets the backoff").singleElement()
                    .satisfies(d -> assertThat(d).isBetween(50L, 100L));
        }
    }

    @Test
    void replacesAStreamThatSendsABlockOutOfSequenceOrAStatus() {
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            ScriptedStream first = streams.opened.get(0);
            first.responses.onNext(block(7));
            assertThat(received).isEmpty();
            assertThat(first.cancelled).isTrue();
            first.responses.onNext(block(5));
            assertThat(received).as("a replaced stream's late blocks are ignored").isEmpty();

            scheduler.advance(100);
            ScriptedStream second = streams.opened.get(1);
            second.responses.onNext(DeliverResponse.newBuilder()
                    .setStatus(org.hyperledger.fabric.protos.common.Status.FORBIDDEN).build());
            assertThat(second.cancelled).isTrue();
            assertThat(scheduler.pendingDelays()).hasSize(1);
        }
    }

    @Test
    void closeCancelsTheStreamAndStopsReconnecting() {
        OrdererBlockIntake intake = intake();
        intake.start();
        ScriptedStream stream = streams.opened.get(0);
        intake.close();
        assertThat(stream.cancelled).isTrue();
        stream.responses.onNext(block(5));
        stream.responses.onError(Status.CANCELLED.asRuntimeException());
        scheduler.advance(60_000);
        assertThat(received).isEmpty();
        assertThat(streams.opened).hasSize(1);
        assertThat(intake.attempts()).isEqualTo(1);
    }

    @Test
    void closeDuringABackoffCancelsTheReconnect() {
        OrdererBlockIntake intake = intake();
        intake.start();
        streams.opened.get(0).responses.onCompleted();
        assertThat(scheduler.pendingDelays()).hasSize(1);
        intake.close();
        assertThat(scheduler.pendingDelays()).isEmpty();
        scheduler.advance(60_000);
        assertThat(streams.opened).hasSize(1);
    }

    @Test
    void aStreamThatCannotBeOpenedIsRetried() {
        streams.failNext = true;
        try (OrdererBlockIntake intake = intake()) {
            intake.start();
            assertThat(streams.opened).isEmpty();
            scheduler.advance(100);
            assertThat(streams.opened).hasSize(1);
        }
    }

    /** Deliver streams as the test scripts them. */
    private static final class ScriptedStreams implements OrdererBlockIntake.DeliverStreams {
        final List<ScriptedStream> opened = new ArrayList<>();
        boolean failNext;

        @Override
        public OrdererBlockIntake.OpenStream open(Envelope seek, int responsesAllowed,
                StreamObserver<DeliverResponse> responses) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("channel shut down");
            }
            ScriptedStream stream = new ScriptedStream(seek, responses, responsesAllowed);
            opened.add(stream);
            return stream;
        }
    }

    /** A stream whose responses the test sends, counting what flow control allowed. */
    private static final class ScriptedStream implements OrdererBlockIntake.OpenStream {
        final Envelope seek;
        final StreamObserver<DeliverResponse> responses;
        /** Responses allowed so far, the initial ones included. */
        long allowed;
        long delivered;
        boolean cancelled;

        ScriptedStream(Envelope seek, StreamObserver<DeliverResponse> responses, int allowed) {
            this.seek = seek;
            this.responses = responses;
            this.allowed = allowed;
        }

        /** Delivers blocks {@code from} up to {@code to} (exclusive), as gRPC would. */
        void deliverBlocks(long from, long to) {
            for (long number = from; number < to; number++) {
                deliver(block(number));
            }
        }

        /** Sends {@code response} as gRPC would: only if allowed. */
        void deliver(DeliverResponse response) {
            assertThat(delivered).as("a response beyond the %d allowed", allowed).isLessThan(allowed);
            delivered++;
            responses.onNext(response);
        }

        @Override
        public void request(int more) {
            if (!cancelled) {
                allowed += more;
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
