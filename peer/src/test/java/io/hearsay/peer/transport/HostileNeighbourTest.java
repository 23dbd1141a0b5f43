package io.hearsay.peer.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.hearsay.discovery.auth.AuthenticatedChannel.Drop;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.gossip.block.GossipCounters;
import io.hearsay.gossip.block.HeaderHashes;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.transport.TransportCounters.Counter;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.wire.BlockWire;
import io.hearsay.proto.gossip.Frame;
import io.hearsay.proto.gossip.Hello;
import io.hearsay.proto.gossip.Proof;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bad-input requirements, one test each, against a real peer: a victim {@link GossipPeer} (RocksDB
 * ledger, gRPC, mutual TLS) linked to an honest peer, and a {@link RogueNeighbour} that holds a third peer's
 * real credentials and sends crafted frames. Every test checks the same four things: the bad input is counted
 * under its own metric (with its reason given to the sender, the same string the victim logs), nothing of it
 * is stored (the victim's height is unchanged), the connection is closed when the input breaks the protocol
 * and kept when it is merely dropped, and the victim still serves the honest peer afterwards (a block the
 * victim's orderer feeds it reaches the honest peer).
 */
class HostileNeighbourTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Small chunks and messages, so limits are reached with a few kilobytes: 1 KiB chunks, 64 KiB messages. */
    private static final GossipTransportConfig SMALL = new GossipTransportConfig(1024, 64 * 1024, 64, 256 * 1024, 32,
            5_000, 100, 1_000, 30_000);

    @TempDir
    static Path cryptoDirectory;
    static TestCrypto crypto;

    @TempDir
    Path directory;
    private TestPeers peers;
    private GossipPeer victim;
    private GossipPeer honest;
    private final List<RogueNeighbour> rogues = new ArrayList<>();

    @BeforeAll
    static void generate() {
        crypto = new TestCrypto(cryptoDirectory);
    }

    @AfterEach
    void close() {
        rogues.forEach(RogueNeighbour::close);
        if (peers != null) {
            peers.close();
        }
    }

    // ---- malformed input: counted, connection closed ----

    static Stream<Arguments> malformedFrames() {
        return Stream.of(
                Arguments.of("bytes that are no protobuf", new byte[] {(byte) 0xFF, 0x01}, "frame does not parse"),
                Arguments.of("an empty frame", new byte[0], "unexpected KIND_NOT_SET frame after the handshake"),
                Arguments.of("a second hello", Frame.newBuilder().setHello(Handshake.hello(Handshake.newChallenge())).build()
                        .toByteArray(), "unexpected HELLO frame after the handshake"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void malformedFrameClosesTheConnection(String name, byte[] frame, String reason) {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour rogue = connectedRogue();

        rogue.sendRaw(frame);

        assertClosed(rogue, Status.Code.ABORTED, reason);
        assertThat(victim.transportCounters().get(Counter.MALFORMED)).isEqualTo(1);
        assertNothingStoredAndStillServing();
    }

    static Stream<Arguments> malformedEnvelopes() {
        UnaryOperator<SignedEnvelope.Builder> garbageBlock = envelope -> envelope.setMessage(
                io.hearsay.proto.gossip.BlockMessage.newBuilder().setPush(io.hearsay.proto.gossip.BlockMessage.Push.newBuilder()
                        .setBlock(ByteString.copyFrom(new byte[] {(byte) 0xFF, 0x01})).setForward(true)));
        UnaryOperator<SignedEnvelope.Builder> shortSigner = envelope -> envelope.setSigner(ByteString.copyFrom(new byte[31]));
        UnaryOperator<SignedEnvelope.Builder> shortHash = envelope -> envelope.setMessage(
                io.hearsay.proto.gossip.BlockMessage.newBuilder().setHeartbeat(io.hearsay.proto.gossip.BlockMessage.Heartbeat
                        .newBuilder().setHeight(1).setHeadHash(ByteString.copyFrom(new byte[5]))));
        UnaryOperator<SignedEnvelope.Builder> noMessage = SignedEnvelope.Builder::clearMessage;
        return Stream.of(
                Arguments.of("envelope bytes that are no protobuf", (Function<byte[], byte[]>) valid ->
                        new byte[] {(byte) 0xFF, 0x01}, "envelope does not parse"),
                Arguments.of("a block that does not parse", tamper(garbageBlock), "block does not parse"),
                Arguments.of("a 31-byte signer", tamper(shortSigner), "signer is 31 bytes"),
                Arguments.of("a 5-byte head hash", tamper(shortHash), "head hash is 5 bytes, not 32"),
                Arguments.of("no message", tamper(noMessage), "envelope carries no message"));
    }

    private static Function<byte[], byte[]> tamper(UnaryOperator<SignedEnvelope.Builder> change) {
        return valid -> {
            try {
                return change.apply(SignedEnvelope.parseFrom(valid).toBuilder()).build().toByteArray();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        };
    }

    /** A well-framed envelope whose content does not decode: refused before authentication, connection closed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEnvelopes")
    void malformedEnvelopeClosesTheConnection(String name, Function<byte[], byte[]> tamper, String reason) {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour rogue = connectedRogue();
        byte[] valid = BlockWire.encode(SampleChannel.CHANNEL, rogueSigner(1).sign(new BlockMessage.Push(peers.block(1), true)));

        rogue.sendEnvelope(tamper.apply(valid));

        assertClosed(rogue, Status.Code.ABORTED, "malformed message: " + reason);
        assertThat(victim.transportCounters().get(Counter.MALFORMED)).isEqualTo(1);
        assertThat(victim.drops()).as("nothing reached authentication").isEmpty();
        assertNothingStoredAndStillServing();
    }

    /**
     * Sequence numbers are uint64 on the wire but signed longs in the replay window. A sequence at or above 2^63,
     * chosen against the window's highest sequence, once made the window index out of its array: an exception on
     * the victim's protocol thread, logged as a task failure, uncounted, the connection kept. Now the wire codec
     * refuses it as malformed.
     */
    @Test
    void sequenceBeyondTwoToTheSixtyThreeIsMalformed() {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour rogue = connectedRogue();
        long highest = 1_000_000;
        rogue.send(rogueSigner(highest).sign(new BlockMessage.RangeRequest(1, 0, 1)));
        assertThat(rogue.awaitMessage().message()).as("the victim saw the first message").isInstanceOf(BlockMessage.RangeResponse.class);

        // highest - sequence wraps to a negative age whose bits 6..37 are 100, beyond the window's 16 words.
        long sequence = highest - (Long.MIN_VALUE + (100L << 6));
        assertThat(sequence).isNegative();
        rogue.send(rogueSigner(sequence).sign(new BlockMessage.RangeRequest(2, 0, 1)));

        assertClosed(rogue, Status.Code.ABORTED, "malformed message: sequence " + Long.toUnsignedString(sequence) + " is out of range");
        assertThat(victim.transportCounters().get(Counter.MALFORMED)).isEqualTo(1);
        assertNothingStoredAndStillServing();
    }

    // ---- oversized input: counted, connection closed ----

    @Test
    void chunksBeyondMessageBytesMaxCloseTheConnection() {
        startVictim(GossipPeer.Settings.lan("victim").withTransport(SMALL), GossipPeer.Settings.lan("honest").withTransport(SMALL));
        RogueNeighbour rogue = connectedRogue();

        byte[] chunk = new byte[SMALL.chunkBytes()];
        for (int sent = 0; sent <= SMALL.messageBytesMax(); sent += chunk.length) {
            rogue.sendChunk(chunk, false);
        }

        assertClosed(rogue, Status.Code.ABORTED, "exceeds messageBytesMax " + SMALL.messageBytesMax());
        assertThat(victim.transportCounters().get(Counter.OVERSIZED)).isEqualTo(1);
        assertNothingStoredAndStillServing();
    }

    /** One frame over gRPC's inbound limit (a chunk plus framing) never reaches the connection: gRPC refuses it. */
    @Test
    void frameBeyondTheInboundLimitClosesTheConnection() {
        startVictim(GossipPeer.Settings.lan("victim").withTransport(SMALL), GossipPeer.Settings.lan("honest").withTransport(SMALL));
        RogueNeighbour rogue = connectedRogue();

        rogue.sendEnvelope(new byte[2 * SMALL.frameBytesMax()]);

        // gRPC resets the stream (the sender sees CANCELLED); the victim counts and logs why.
        Status status = rogue.awaitClosed();
        assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.CANCELLED);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(victim.transportCounters().get(Counter.OVERSIZED)).as("counted at the victim").isEqualTo(1));
        await().atMost(WAIT).until(() -> !victim.network().isConnected(rogue.id()));
        assertNothingStoredAndStillServing();
    }

    /**
     * Senders cut every chunk but the last at their chunk size, at least {@link GossipTransportConfig#CHUNK_BYTES_MIN}.
     * Smaller ones are refused: a neighbour sending one-byte or empty chunks would otherwise make the victim hold an
     * object per byte, or per frame without any bound, far beyond messageBytesMax.
     */
    @ParameterizedTest(name = "{0}-byte chunk")
    @ValueSource(ints = {0, 1, GossipTransportConfig.CHUNK_BYTES_MIN - 1})
    void undersizedChunkBeforeTheLastClosesTheConnection(int bytes) {
        startVictim(GossipPeer.Settings.lan("victim").withTransport(SMALL), GossipPeer.Settings.lan("honest").withTransport(SMALL));
        RogueNeighbour rogue = connectedRogue();

        rogue.sendChunk(new byte[bytes], false);

        assertClosed(rogue, Status.Code.ABORTED, "chunk of " + bytes + " bytes before the last");
        assertThat(victim.transportCounters().get(Counter.MALFORMED)).isEqualTo(1);
        assertNothingStoredAndStillServing();
    }

    // ---- bad signatures: dropped and counted, connection kept ----

    @Test
    void badSignaturesAreDroppedAndCounted() {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour rogue = connectedRogue();
        MessageSigner signer = rogueSigner(1_000);
        Block block = peers.block(1);

        SignedMessage<BlockMessage> push = signer.sign(new BlockMessage.Push(block, false));
        byte[] flipped = push.signature().clone();
        flipped[flipped.length - 1] ^= 1;
        rogue.send(new SignedMessage<>(push.signer(), push.sequence(), push.message(), flipped));
        SignedMessage<BlockMessage> unforwarded = signer.sign(new BlockMessage.Push(block, false));
        rogue.send(new SignedMessage<>(rogue.id(), unforwarded.sequence(), new BlockMessage.Push(block, true),
                unforwarded.signature()));
        SignedMessage<BlockMessage> byAnotherKey = new MessageSigner(crypto.peer("Org1MSP", 2).signingIdentity(), 5_000)
                .sign(new BlockMessage.Push(block, false));
        rogue.send(new SignedMessage<>(rogue.id(), byAnotherKey.sequence(), byAnotherKey.message(), byAnotherKey.signature()));

        await().atMost(WAIT).untilAsserted(() -> assertThat(victim.drops()).containsEntry(Drop.BAD_SIGNATURE, 3L));
        assertThat(victim.drops()).hasSize(1);
        assertThat(victim.height()).as("no forged push stored").isEqualTo(1);
        assertThat(victim.network().isConnected(rogue.id())).as("dropping a message keeps the link").isTrue();

        // The same block honestly signed is committed: the pushes above failed on their signatures alone.
        rogue.send(signer.sign(new BlockMessage.Push(block, false)));
        await().atMost(WAIT).until(() -> victim.height() == 2);
        assertStillServing();
    }

    @Test
    void envelopeSignedByAnotherPeerIsDropped() {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour rogue = connectedRogue();
        // Validly signed, by a real peer of a known organisation, but it is not the peer on this link.
        SignedMessage<BlockMessage> relayed = new MessageSigner(crypto.peer("Org1MSP", 2).signingIdentity(), 1)
                .sign(new BlockMessage.Push(peers.block(1), true));

        rogue.sendNamingSigner(relayed);
        // Naming no signer, it is taken as the rogue's own, whose key did not sign it.
        rogue.send(relayed);

        await().atMost(WAIT).untilAsserted(() -> assertThat(victim.drops()).containsEntry(Drop.SIGNER_MISMATCH, 1L)
                .containsEntry(Drop.BAD_SIGNATURE, 1L));
        assertThat(victim.network().isConnected(rogue.id())).isTrue();
        assertNothingStoredAndStillServing();
    }

    // ---- unknown organisations: refused at the handshake ----

    static Stream<Arguments> outsiders() {
        return Stream.of(Arguments.of("Org3MSP, unknown", (Function<TestCrypto, CryptoMaterial>) c -> c.foreign),
                Arguments.of("an impostor calling itself Org1MSP", (Function<TestCrypto, CryptoMaterial>) c -> c.impostor));
    }

    /**
     * The victim's TLS layer here trusts the outsider's TLS CA (as a node with a broad TLS trust store would), so
     * the outsider reaches the gossip handshake; its identity chains to no CA of the victim's organisations.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("outsiders")
    void unknownOrganisationIsRefusedAtTheHandshake(String name, Function<TestCrypto, CryptoMaterial> which) {
        CryptoMaterial outsider = which.apply(crypto);
        CryptoMaterial.Member member = outsider.organizations().get(0).nodes().get(0);
        CryptoMaterial.Member victimMember = crypto.peer("Org1MSP", 0);
        startVictim(GossipPeer.Settings.lan("victim"), GossipPeer.Settings.lan("honest"),
                crypto.tlsAlsoTrusting(victimMember, outsider));
        RogueNeighbour rogue = rogue(member, crypto.tlsAlsoTrusting(member, outsider));

        rogue.handshake();
        // Straight after its proof, before it can know the verdict: a push that must not get through.
        rogue.send(new MessageSigner(member.signingIdentity(), 1).sign(new BlockMessage.Push(peers.block(1), true)));

        assertClosed(rogue, Status.Code.ABORTED, "handshake failed: identity refused");
        assertThat(victim.transportCounters().get(Counter.HANDSHAKES_FAILED)).isEqualTo(1);
        assertThat(victim.network().identity(member.signingIdentity().pkiId())).isEmpty();
        assertThat(victim.drops()).as("nothing got as far as authentication").isEmpty();
        assertNothingStoredAndStillServing();
    }

    /** An outsider that stole a member's TLS key passes TLS, but its own identity is still refused. */
    @Test
    void stolenTlsKeyDoesNotAdmitAnUnknownIdentity() {
        startVictim(GossipPeer.Settings.lan("victim"));
        CryptoMaterial.Member outsider = crypto.foreign.organizations().get(0).nodes().get(0);
        RogueNeighbour rogue = rogue(outsider, crypto.tls(crypto.peer("Org1MSP", 1)));

        rogue.handshake();

        assertClosed(rogue, Status.Code.ABORTED, "handshake failed: identity refused");
        assertThat(victim.transportCounters().get(Counter.HANDSHAKES_FAILED)).isEqualTo(1);
        assertNothingStoredAndStillServing();
    }

    /**
     * With its own TLS certificate, an outsider does not even get a stream: mutual TLS refuses its certificate
     * before gRPC sees a call. (Netty refuses it below the transport, so no transport counter sees it.)
     */
    @Test
    void unknownTlsAuthorityIsRefusedBeforeAnyFrame() {
        startVictim(GossipPeer.Settings.lan("victim"));
        CryptoMaterial.Member outsider = crypto.foreign.organizations().get(0).nodes().get(0);
        RogueNeighbour rogue = rogue(outsider, crypto.tlsAlsoTrusting(outsider, crypto.foreign));

        rogue.sayHello();

        Status status = rogue.awaitClosed();
        assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(rogue.drainMessages()).isEmpty();
        assertThat(victim.network().identity(outsider.signingIdentity().pkiId())).isEmpty();
        assertThat(victim.transportCounters().get(Counter.HANDSHAKES_FAILED)).isZero();
        assertNothingStoredAndStillServing();
    }

    // ---- handshakes cannot be replayed or relayed ----

    @Test
    void replayedHandshakeProofIsRefused() {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour first = rogue(rogueMember(), crypto.tls(rogueMember()));
        first.sayHello();
        byte[] firstChallenge = first.awaitHello();
        Proof captured = first.proof(firstChallenge);
        first.send(captured);
        await().atMost(WAIT).until(() -> victim.network().isConnected(first.id()));

        // Same credentials, same own challenge: only the victim's fresh challenge differs, and that suffices.
        RogueNeighbour second = rogue(rogueMember(), crypto.tls(rogueMember()), first.ownChallenge());
        second.sayHello();
        assertThat(second.awaitHello()).isNotEqualTo(firstChallenge);
        second.send(captured);

        Status status = second.awaitClosed();
        assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.ABORTED);
        assertThat(status.getDescription()).contains("handshake failed: proof signature");
        assertThat(victim.transportCounters().get(Counter.HANDSHAKES_FAILED)).isEqualTo(1);
        assertThat(victim.network().isConnected(first.id())).as("the genuine connection is undisturbed").isTrue();
        assertThat(first.isClosed()).isFalse();
        assertNothingStoredAndStillServing();
    }

    /** A proof made for another TLS session (another certificate) is refused: the proof is bound to the channel. */
    @Test
    void proofBoundToAnotherTlsCertificateIsRefused() {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour rogue = rogue(rogueMember(), crypto.tls(rogueMember()));
        byte[] otherCertificateHash = crypto.tls(crypto.peer("Org1MSP", 2)).certificateHash();

        rogue.sayHello();
        rogue.send(rogue.proofOver(rogue.awaitHello(), otherCertificateHash));

        assertClosed(rogue, Status.Code.ABORTED, "handshake failed: proof signature");
        assertThat(victim.transportCounters().get(Counter.HANDSHAKES_FAILED)).isEqualTo(1);
        assertNothingStoredAndStillServing();
    }

    static Stream<Arguments> badHellos() {
        return Stream.of(
                Arguments.of("another protocol version", Frame.newBuilder().setHello(Hello.newBuilder()
                        .setChallenge(ByteString.copyFrom(new byte[Handshake.CHALLENGE_BYTES])).setVersion(7)).build(),
                        "handshake failed: peer speaks handshake version 7"),
                Arguments.of("a short challenge", Frame.newBuilder().setHello(Hello.newBuilder()
                        .setChallenge(ByteString.copyFrom(new byte[5])).setVersion(Handshake.VERSION)).build(),
                        "handshake failed: challenge is 5 bytes"),
                Arguments.of("an envelope first", Frame.newBuilder().setEnvelope(ByteString.copyFromUtf8("hi")).build(),
                        "handshake failed: expected a hello, got ENVELOPE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHellos")
    void badHelloFailsTheHandshake(String name, Frame hello, String reason) {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour rogue = rogue(rogueMember(), crypto.tls(rogueMember()));

        rogue.sendFrame(hello);

        assertClosed(rogue, Status.Code.ABORTED, reason);
        assertThat(victim.transportCounters().get(Counter.HANDSHAKES_FAILED)).isEqualTo(1);
        assertNothingStoredAndStillServing();
    }

    // ---- replays: dropped and counted, connection kept ----

    @Test
    void replayedEnvelopeIsDropped() {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour rogue = connectedRogue();
        MessageSigner signer = rogueSigner(1);
        SignedMessage<BlockMessage> heartbeat = signer.sign(
                new BlockMessage.Heartbeat(1, HeaderHashes.of(crypto.channel.genesis), false));

        rogue.send(heartbeat);
        rogue.send(heartbeat);
        await().atMost(WAIT).untilAsserted(() -> assertThat(victim.drops()).containsEntry(Drop.REPLAYED, 1L));

        // Replay windows outlive connections: the same envelope on a new connection is still a replay.
        RogueNeighbour again = connectedRogue();
        again.send(heartbeat);
        await().atMost(WAIT).untilAsserted(() -> assertThat(victim.drops()).containsEntry(Drop.REPLAYED, 2L));
        assertThat(victim.drops()).hasSize(1);

        // A fresh message from the same neighbour is served: replays cost the replayer nothing else.
        again.send(signer.sign(new BlockMessage.RangeRequest(7, 0, 1)));
        assertThat(again.awaitMessage().message()).isInstanceOfSatisfying(BlockMessage.RangeResponse.class,
                response -> assertThat(response.requestId()).isEqualTo(7));
        assertNothingStoredAndStillServing();
    }

    // ---- absurd range requests: refused and counted, the requester still served ----

    @Test
    void absurdRangeRequestsAreRefusedAndCounted() {
        startVictim(GossipPeer.Settings.lan("victim"));
        RogueNeighbour rogue = connectedRogue();
        MessageSigner signer = rogueSigner(1);

        rogue.send(signer.sign(new BlockMessage.RangeRequest(1, 0, 1_000_000_000L)));
        rogue.send(signer.sign(new BlockMessage.RangeRequest(2, 5, 3)));
        rogue.send(signer.sign(new BlockMessage.RangeRequest(3, 4, 4)));
        rogue.send(signer.sign(new BlockMessage.RangeRequest(4, 0, 1)));

        // Answers go out in order: had any absurd request been served, its answer would come first.
        assertThat(rogue.awaitMessage().message()).isInstanceOfSatisfying(BlockMessage.RangeResponse.class, response -> {
            assertThat(response.requestId()).isEqualTo(4);
            assertThat(response.blocks()).hasSize(1);
            assertThat(HeaderHashes.of(response.blocks().get(0))).isEqualTo(HeaderHashes.of(crypto.channel.genesis));
        });
        assertThat(victim.gossipCounters().get(GossipCounters.Counter.ABSURD_RANGE_REQUESTS)).isEqualTo(3);
        assertThat(victim.network().isConnected(rogue.id())).isTrue();
        assertNothingStoredAndStillServing();
    }

    // ---- flooding: rate limited and counted, honest neighbours unaffected ----

    /**
     * The rogue sends 2,000 validly signed range requests as fast as it can to a victim that accepts 200
     * messages/s per sender with a burst of 100. Every request is either answered or counted as rate limited —
     * nothing is lost silently — and no more are answered than the token bucket allows; meanwhile a block the
     * honest peer pushes is committed.
     */
    @Test
    void floodingNeighbourIsRateLimited() {
        IntegrityConfig integrity = new IntegrityConfig(1024, 200, 100);
        startVictim(GossipPeer.Settings.lan("victim").withIntegrity(integrity));
        RogueNeighbour rogue = connectedRogue();
        MessageSigner signer = rogueSigner(1);
        int flood = 2_000;
        List<SignedMessage<BlockMessage>> requests = new ArrayList<>(flood);
        for (int i = 0; i < flood; i++) {
            requests.add(signer.sign(new BlockMessage.RangeRequest(i, 0, 1)));
        }

        long startNanos = System.nanoTime();
        for (int i = 0; i < flood; i++) {
            rogue.send(requests.get(i));
            if (i == flood / 2) {
                honest.onOrdererBlock(peers.block(1));
            }
        }
        List<SignedMessage<BlockMessage>> answers = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            answers.addAll(rogue.drainMessages());
            assertThat(answers.size() + victim.drops().getOrDefault(Drop.RATE_LIMITED, 0L))
                    .as("answered + rate limited").isEqualTo(flood);
        });
        double seconds = (System.nanoTime() - startNanos) / 1e9;

        assertThat(answers.size()).as("answered in %.2f s", seconds)
                .isLessThanOrEqualTo((int) (integrity.burstMessagesMax() + integrity.messagesPerSecondMax() * seconds) + 1);
        assertThat(victim.drops().getOrDefault(Drop.RATE_LIMITED, 0L)).isGreaterThan(flood / 2);
        assertThat(victim.drops()).hasSize(1);
        await().atMost(WAIT).until(() -> victim.height() == 2);
        assertStillServing();
    }

    // ---- fixture ----

    private void startVictim(GossipPeer.Settings settings) {
        startVictim(settings, GossipPeer.Settings.lan("honest"));
    }

    private void startVictim(GossipPeer.Settings victimSettings, GossipPeer.Settings honestSettings) {
        startVictim(victimSettings, honestSettings, crypto.tls(crypto.peer("Org1MSP", 0)));
    }

    /** The victim (Org1 peer 0) and an honest peer (Org2 peer 0), linked both ways. */
    private void startVictim(GossipPeer.Settings victimSettings, GossipPeer.Settings honestSettings, TlsCredentials victimTls) {
        peers = new TestPeers(crypto, directory);
        victim = peers.start(crypto.peer("Org1MSP", 0), victimSettings, victimTls);
        honest = peers.start(crypto.peer("Org2MSP", 0), honestSettings);
        TestPeers.link(victim, honest);
    }

    /** Org1 peer 1, whose real credentials the rogue uses. */
    private static CryptoMaterial.Member rogueMember() {
        return crypto.peer("Org1MSP", 1);
    }

    private static MessageSigner rogueSigner(long firstSequence) {
        return new MessageSigner(rogueMember().signingIdentity(), firstSequence);
    }

    private RogueNeighbour rogue(CryptoMaterial.Member member, TlsCredentials tls) {
        return rogue(member, tls, Handshake.newChallenge());
    }

    private RogueNeighbour rogue(CryptoMaterial.Member member, TlsCredentials tls, byte[] ownChallenge) {
        RogueNeighbour rogue = new RogueNeighbour(victim.port(), member.signingIdentity(), tls, ownChallenge);
        rogues.add(rogue);
        return rogue;
    }

    /** A rogue that completed the handshake honestly: the victim lists it as connected. */
    private RogueNeighbour connectedRogue() {
        RogueNeighbour rogue = rogue(rogueMember(), crypto.tls(rogueMember()));
        rogue.handshake();
        await().atMost(WAIT).until(() -> victim.network().isConnected(rogue.id()));
        return rogue;
    }

    /** The victim closed the rogue's stream with {@code code} and a description containing {@code reason}. */
    private void assertClosed(RogueNeighbour rogue, Status.Code code, String reason) {
        Status status = rogue.awaitClosed();
        assertThat(status.getCode()).as("%s", status).isEqualTo(code);
        assertThat(status.getDescription()).contains(reason);
        await().atMost(WAIT).until(() -> !victim.network().isConnected(rogue.id()));
    }

    private void assertNothingStoredAndStillServing() {
        assertThat(victim.height()).as("the victim stored nothing").isEqualTo(1);
        assertStillServing();
    }

    /** The victim's next orderer block reaches the honest peer: the victim keeps serving its neighbours. */
    private void assertStillServing() {
        assertThat(victim.network().isConnected(honest.id())).as("the honest link survived").isTrue();
        int next = (int) victim.height();
        victim.onOrdererBlock(peers.block(next));
        await().atMost(WAIT).untilAsserted(() -> assertThat(honest.height()).as("honest peer's height").isEqualTo(next + 1));
    }
}
