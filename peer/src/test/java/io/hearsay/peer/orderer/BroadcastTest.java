package io.hearsay.peer.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.runtime.NodeResources;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broadcast end to end: a real {@link OrdererNode} on loopback with mutual TLS, and a peer's {@link
 * GrpcOrdererClient} on one long-lived stream. Accepted envelopes end up in the orderer's chain; each kind of bad
 * envelope gets its Fabric status, nothing of it is ordered, and the same stream goes on serving; an orderer that
 * is not there is reported as unreachable.
 */
class BroadcastTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long ENVELOPE_BYTES_MAX = 64 * 1024;

    @TempDir
    static Path cryptoDirectory;
    private static OrdererCrypto crypto;

    @TempDir
    Path directory;
    private NodeResources resources;
    private OrdererNode orderer;
    private GrpcOrdererClient client;

    @BeforeAll
    static void generateCrypto() {
        crypto = new OrdererCrypto(cryptoDirectory);
    }

    @BeforeEach
    void start() throws Exception {
        resources = new NodeResources(2);
        OrdererConfig config = OrdererConfig.defaults()
                .withBatchBytes(32 * 1024, ENVELOPE_BYTES_MAX)
                .withBatchTimeoutMillis(50);
        orderer = OrdererNode.start(
                new OrdererNode.Settings(new InetSocketAddress("127.0.0.1", 0), directory.resolve("orderer"), config,
                        TimeWindow.defaults()),
                List.of(crypto.channel.genesis), crypto.channel.orderer, crypto.tls(crypto.ordererNode()), resources,
                solo -> OrdererCrypto.noFeed(), channels -> List.of());
        client = clientOf(orderer.port());
    }

    private GrpcOrdererClient clientOf(int port) {
        return new GrpcOrdererClient(GrpcOrdererClient.Settings.of("127.0.0.1", port).withResponseTimeoutMillis(5_000),
                crypto.tls(crypto.org1Peer()), resources.timers());
    }

    @AfterEach
    void stop() {
        client.close();
        orderer.close();
        resources.close();
    }

    private long height() {
        return orderer.channels().orderer(SampleChannel.CHANNEL).orElseThrow().ledger().height();
    }

    /** The orderer's refusal of {@code envelope}; fails the test if it was accepted. */
    private OrdererException refusal(Envelope envelope) throws Exception {
        Throwable thrown = catchThrowable(() -> client.broadcast(envelope).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(OrdererException.class);
        OrdererException refused = (OrdererException) thrown.getCause();
        assertThat(refused.unreachable()).as("an answer from the orderer, not a lost connection").isFalse();
        return refused;
    }

    /** After a refusal the same stream still orders: the server kept serving and nothing refused was stored. */
    private void assertStillOrdersOnlyGoodEnvelopes() throws Exception {
        long before = height();
        client.broadcast(crypto.put("after", "refusal")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> height() == before + 1);
        var ledger = orderer.channels().orderer(SampleChannel.CHANNEL).orElseThrow().ledger();
        long envelopes = 0;
        for (long number = 1; number < ledger.height(); number++) {
            envelopes += ledger.block(number).orElseThrow().getData().getDataCount();
        }
        assertThat(envelopes).as("only the good envelope was ordered").isEqualTo(1);
    }

    private static Envelope withPayload(Envelope envelope, Payload payload) {
        return envelope.toBuilder().setPayload(payload.toByteString()).build();
    }

    @Test
    void acceptsAWellFormedEnvelopeAndOrdersIt() throws Exception {
        Envelope envelope = crypto.put("key", "value");
        CompletableFuture<Void> answer = client.broadcast(envelope);
        answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> height() == 2);
        var block = orderer.channels().orderer(SampleChannel.CHANNEL).orElseThrow().ledger().block(1).orElseThrow();
        assertThat(block.getData().getDataList()).containsExactly(envelope.toByteString());
    }

    @Test
    void answersManyEnvelopesInOrderOnOneStream() throws Exception {
        List<CompletableFuture<Void>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(client.broadcast(i % 10 == 3 ? crypto.transaction("nochannel", crypto.channel.client,
                    Instant.now(), "k" + i, "v") : crypto.put("k" + i, "v")));
        }
        for (int i = 0; i < answers.size(); i++) {
            CompletableFuture<Void> answer = answers.get(i);
            Throwable thrown = catchThrowable(() -> answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            if (i % 10 == 3) {
                assertThat(thrown).as("envelope %d", i).hasCauseInstanceOf(OrdererException.class);
                assertThat(((OrdererException) thrown.getCause()).status()).isEqualTo(Status.NOT_FOUND);
            } else {
                assertThat(thrown).as("envelope %d", i).isNull();
            }
        }
    }

    @Test
    void refusesAMalformedPayload() throws Exception {
        Envelope garbage = Envelope.newBuilder()
                .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .setSignature(ByteString.copyFromUtf8("signature"))
                .build();
        OrdererException refused = refusal(garbage);
        assertThat(refused.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(refused.getMessage()).contains("does not parse");
        assertStillOrdersOnlyGoodEnvelopes();
    }

    @Test
    void refusesAnEnvelopeWithoutSignature() throws Exception {
        OrdererException refused = refusal(crypto.put("k", "v").toBuilder().clearSignature().build());
        assertThat(refused.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(refused.getMessage()).contains("no signature");
        assertStillOrdersOnlyGoodEnvelopes();
    }

    @Test
    void refusesAnotherHeaderType() throws Exception {
        Envelope envelope = crypto.put("k", "v");
        Payload payload = Payload.parseFrom(envelope.getPayload());
        ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).toBuilder()
                .setType(HeaderType.CONFIG_UPDATE_VALUE).build();
        Payload changed = payload.toBuilder()
                .setHeader(payload.getHeader().toBuilder().setChannelHeader(header.toByteString())).build();
        OrdererException refused = refusal(withPayload(envelope, changed));
        assertThat(refused.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(refused.getMessage()).contains("ENDORSER_TRANSACTION");
        assertStillOrdersOnlyGoodEnvelopes();
    }

    @Test
    void refusesAnUnknownChannel() throws Exception {
        OrdererException refused = refusal(crypto.transaction("nochannel", crypto.channel.client, Instant.now(), "k", "v"));
        assertThat(refused.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(refused.getMessage()).contains("nochannel").contains(SampleChannel.CHANNEL);
        assertStillOrdersOnlyGoodEnvelopes();
    }

    @Test
    void refusesACreatorFromAnOrganisationOutsideTheChannel() throws Exception {
        OrdererException refused = refusal(crypto.transaction(SampleChannel.CHANNEL, crypto.foreignUser(), Instant.now(),
                "k", "v"));
        assertThat(refused.status()).isEqualTo(Status.FORBIDDEN);
        assertThat(refused.getMessage()).contains("Org3MSP");
        assertStillOrdersOnlyGoodEnvelopes();
    }

    @Test
    void refusesASignatureThatIsNotOverThePayload() throws Exception {
        Envelope envelope = crypto.put("k", "v");
        Envelope other = crypto.put("k", "other");
        OrdererException refused = refusal(envelope.toBuilder().setSignature(other.getSignature()).build());
        assertThat(refused.status()).isEqualTo(Status.FORBIDDEN);
        assertThat(refused.getMessage()).contains("BAD_SIGNATURE");
        assertStillOrdersOnlyGoodEnvelopes();
    }

    @Test
    void refusesAStaleTimestamp() throws Exception {
        Instant stale = Instant.now().minus(TimeWindow.DEFAULT_WINDOW).minusSeconds(60);
        OrdererException refused = refusal(crypto.transaction(SampleChannel.CHANNEL, crypto.channel.client, stale, "k", "v"));
        assertThat(refused.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(refused.getMessage()).contains("window");
        assertStillOrdersOnlyGoodEnvelopes();
    }

    @Test
    void refusesAnOversizedEnvelope() throws Exception {
        String large = "x".repeat((int) ENVELOPE_BYTES_MAX);
        OrdererException refused = refusal(crypto.put("k", large));
        assertThat(refused.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(refused.getMessage()).contains(String.valueOf(ENVELOPE_BYTES_MAX));
        assertStillOrdersOnlyGoodEnvelopes();
    }

    @Test
    void reportsAnOrdererThatIsNotListeningAsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (GrpcOrdererClient nowhere = clientOf(port)) {
            Throwable thrown = catchThrowable(() -> nowhere.broadcast(crypto.put("k", "v")).get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(thrown).hasCauseInstanceOf(OrdererException.class);
            OrdererException unreachable = (OrdererException) thrown.getCause();
            assertThat(unreachable.unreachable()).isTrue();
            assertThat(unreachable.status()).isEqualTo(Status.SERVICE_UNAVAILABLE);
            assertThat(unreachable.getMessage()).contains("127.0.0.1:" + port);
        }
    }

    @Test
    void refusesAClientWhoseTlsCertificateNoChannelOrganisationIssued() throws Exception {
        List<io.hearsay.identity.OrganizationMsp> trusted = new java.util.ArrayList<>(crypto.channel.crypto.msps());
        trusted.addAll(crypto.foreign.msps());
        io.hearsay.peer.transport.TlsCredentials outsider = io.hearsay.peer.transport.TlsCredentials.of(
                crypto.foreign.organization("Org3MSP").nodes().get(0), trusted);
        try (GrpcOrdererClient foreign = new GrpcOrdererClient(
                GrpcOrdererClient.Settings.of("127.0.0.1", orderer.port()).withResponseTimeoutMillis(5_000), outsider,
                resources.timers())) {
            Throwable thrown = catchThrowable(() -> foreign.broadcast(crypto.put("k", "v")).get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(thrown).hasCauseInstanceOf(OrdererException.class);
            assertThat(((OrdererException) thrown.getCause()).unreachable()).isTrue();
        }
        assertStillOrdersOnlyGoodEnvelopes();
    }

    @Test
    void reconnectsAfterTheOrdererRestarts() throws Exception {
        client.broadcast(crypto.put("before", "1")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        int port = orderer.port();
        orderer.close();
        Throwable thrown = catchThrowable(() -> client.broadcast(crypto.put("during", "2")).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown).hasCauseInstanceOf(OrdererException.class);
        assertThat(((OrdererException) thrown.getCause()).unreachable()).isTrue();

        orderer = OrdererNode.start(
                new OrdererNode.Settings(new InetSocketAddress("127.0.0.1", port), directory.resolve("orderer"),
                        OrdererConfig.defaults().withBatchTimeoutMillis(50), TimeWindow.defaults()),
                List.of(crypto.channel.genesis), crypto.channel.orderer, crypto.tls(crypto.ordererNode()), resources,
                solo -> OrdererCrypto.noFeed(), channels -> List.of());
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            client.broadcast(crypto.put("after", "3")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return true;
        });
        await().atMost(WAIT).until(() -> height() >= 3);
    }
}
