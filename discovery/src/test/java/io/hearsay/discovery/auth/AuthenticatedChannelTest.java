package io.hearsay.discovery.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.auth.AuthenticatedChannel.Drop;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.StaticMembership;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.Identity;
import io.hearsay.identity.OrgSpec;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real ECDSA identities: a signed message reaches the protocol exactly once; forged, replayed,
 * misattributed, foreign and flooding messages are dropped before the protocol sees them, each counted by
 * reason, and the peer keeps serving everyone else.
 */
class AuthenticatedChannelTest {
    /** A protocol message as small as can be: the channel is generic, so any type with a codec will do. */
    private record Note(String key) {}

    /** The note's key is all a receiver acts on, so it is all the signature needs to cover. */
    private static final MessageCodec<Note> NOTES = note -> {
        ContentWriter out = new ContentWriter(16);
        out.writeUtf(note.key());
        return out.toByteArray();
    };

    @TempDir
    static Path crypto;

    static SigningIdentity alice;
    static SigningIdentity bob;
    static SigningIdentity carol;
    static SigningIdentity stranger;
    static Map<PkiId, Identity> identities = new TreeMap<>();

    @BeforeAll
    static void generate() {
        CryptoMaterial material = CryptoGen.withDefaults().generate(crypto, List.of(
                OrgSpec.peers("Org1MSP", "org1.example.com", 3), OrgSpec.peers("Org9MSP", "org9.example.com", 1)));
        alice = material.organization("Org1MSP").nodes().get(0).signingIdentity();
        bob = material.organization("Org1MSP").nodes().get(1).signingIdentity();
        carol = material.organization("Org1MSP").nodes().get(2).signingIdentity();
        stranger = material.organization("Org9MSP").nodes().get(0).signingIdentity();
        for (SigningIdentity identity : List.of(alice, bob, carol, stranger)) {
            identities.put(identity.pkiId(), identity.identity());
        }
    }

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<SignedMessage<Note>> wire = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private AuthenticatedChannel<Note> bobsChannel;

    private AuthenticatedChannel<Note> channelOf(SigningIdentity self, List<String> sink) {
        TreeMap<PkiId, String> directory = new TreeMap<>();
        for (SigningIdentity member : List.of(alice, bob, carol)) {
            directory.put(member.pkiId(), "Org1MSP");
        }
        directory.put(self.pkiId(), self.mspId());
        StaticMembership membership = new StaticMembership(self.pkiId(), PeerSet.of(directory.keySet()).without(self.pkiId()), directory);
        MessageAuthenticator authenticator = new EcdsaAuthenticator(self, id -> Optional.ofNullable(identities.get(id)));
        return new AuthenticatedChannel<>(self.pkiId(), authenticator, NOTES, membership, now::get,
                IntegrityConfig.defaults(), (to, message) -> wire.add(message),
                (from, message) -> sink.add(message.key()), (from, reason) -> { }, 0);
    }

    /** A message signed by {@code sender}'s own channel, captured off the wire. */
    private SignedMessage<Note> signedBy(SigningIdentity sender, String key) {
        channelOf(sender, new ArrayList<>()).transport().send(bob.pkiId(), note(key));
        return wire.remove(wire.size() - 1);
    }

    private static Note note(String key) {
        return new Note(key);
    }

    @BeforeEach
    void setUp() {
        bobsChannel = channelOf(bob, delivered);
    }

    @Test
    void signedMessageIsDeliveredOnceAndItsReplayDropped() {
        SignedMessage<Note> message = signedBy(alice, "a");
        bobsChannel.onMessage(alice.pkiId(), message);
        bobsChannel.onMessage(alice.pkiId(), message);
        assertThat(delivered).containsExactly("a");
        assertThat(bobsChannel.drops(Drop.REPLAYED)).isEqualTo(1);
    }

    @Test
    void oneMessageToSeveralNeighboursIsSignedOnceAndEachAcceptsIt() {
        AuthenticatedChannel<Note> alicesChannel = channelOf(alice, new ArrayList<>());
        Note multicast = note("block");
        alicesChannel.transport().send(bob.pkiId(), multicast);
        alicesChannel.transport().send(carol.pkiId(), multicast);
        assertThat(wire).hasSize(2);
        assertThat(wire.get(1).signature()).as("signed once").isSameAs(wire.get(0).signature());
        assertThat(wire.get(1).sequence()).isEqualTo(wire.get(0).sequence());
        List<String> carols = new ArrayList<>();
        AuthenticatedChannel<Note> carolsChannel = channelOf(carol, carols);
        bobsChannel.onMessage(alice.pkiId(), wire.get(0));
        carolsChannel.onMessage(alice.pkiId(), wire.get(1));
        assertThat(delivered).containsExactly("block");
        assertThat(carols).containsExactly("block");

        // The same message to the same neighbour again is a new message: a fresh sequence, not a replay.
        alicesChannel.transport().send(bob.pkiId(), multicast);
        assertThat(wire.get(2).sequence()).isGreaterThan(wire.get(0).sequence());
        bobsChannel.onMessage(alice.pkiId(), wire.get(2));
        assertThat(delivered).containsExactly("block", "block");
        assertThat(bobsChannel.drops()).isEmpty();
    }

    @Test
    void aMessageTheProtocolFindsStaleIsDroppedBeforeItsSignatureIsChecked() {
        bobsChannel.skipStale(note -> note.key().startsWith("old"));
        SignedMessage<Note> stale = signedBy(alice, "old news");
        SignedMessage<Note> forgedStale = new SignedMessage<>(stale.signer(), stale.sequence() + 1, note("old forgery"),
                new byte[] {1, 2, 3});
        bobsChannel.onMessage(alice.pkiId(), stale);
        bobsChannel.onMessage(alice.pkiId(), forgedStale);
        assertThat(delivered).isEmpty();
        assertThat(bobsChannel.staleSkipped()).isEqualTo(2);
        assertThat(bobsChannel.drops()).as("not faults, and the forgery was never verified").isEmpty();
        bobsChannel.onMessage(alice.pkiId(), signedBy(alice, "fresh"));
        assertThat(delivered).containsExactly("fresh");
    }

    @Test
    void alteredMessageFailsItsSignature() {
        SignedMessage<Note> genuine = signedBy(alice, "a");
        SignedMessage<Note> altered = new SignedMessage<>(genuine.signer(), genuine.sequence(), note("evil"),
                genuine.signature());
        bobsChannel.onMessage(alice.pkiId(), altered);
        assertThat(delivered).isEmpty();
        assertThat(bobsChannel.drops(Drop.BAD_SIGNATURE)).isEqualTo(1);
        bobsChannel.onMessage(alice.pkiId(), genuine);
        assertThat(delivered).as("a failed forgery does not burn the genuine sequence number").containsExactly("a");
    }

    @Test
    void signatureChecksAreCountedPassedAndFailedButNotForMessagesDroppedBeforeTheCheck() {
        SignedMessage<Note> genuine = signedBy(alice, "a");
        bobsChannel.onMessage(alice.pkiId(), new SignedMessage<>(genuine.signer(), genuine.sequence(), note("evil"),
                genuine.signature()));
        bobsChannel.onMessage(alice.pkiId(), genuine);
        bobsChannel.onMessage(alice.pkiId(), genuine); // a replay: refused before its signature is checked
        bobsChannel.onMessage(carol.pkiId(), signedBy(alice, "b")); // another's link: likewise
        bobsChannel.onMessage(carol.pkiId(), signedBy(carol, "c"));

        assertThat(bobsChannel.verificationsPassed()).isEqualTo(2);
        assertThat(bobsChannel.verificationsFailed()).isEqualTo(1).isEqualTo(bobsChannel.drops(Drop.BAD_SIGNATURE));
    }

    @Test
    void messageSignedByOneArrivingOnAnothersLinkIsDropped() {
        bobsChannel.onMessage(carol.pkiId(), signedBy(alice, "a"));
        assertThat(delivered).isEmpty();
        assertThat(bobsChannel.drops(Drop.SIGNER_MISMATCH)).isEqualTo(1);
    }

    @Test
    void messageFromAnUnknownOrganisationIsDropped() {
        bobsChannel.onMessage(stranger.pkiId(), signedBy(stranger, "s"));
        assertThat(delivered).isEmpty();
        assertThat(bobsChannel.drops(Drop.UNKNOWN_ORGANIZATION)).isEqualTo(1);
    }

    @Test
    void outOfOrderWithinTheWindowIsAcceptedButTooOldIsNot() {
        AuthenticatedChannel<Note> alicesChannel = channelOf(alice, new ArrayList<>());
        for (int i = 0; i < 1100; i++) {
            alicesChannel.transport().send(bob.pkiId(), note("m" + i));
        }
        List<SignedMessage<Note>> sent = new ArrayList<>(wire);
        bobsChannel.onMessage(alice.pkiId(), sent.get(1050));
        bobsChannel.onMessage(alice.pkiId(), sent.get(1049));
        bobsChannel.onMessage(alice.pkiId(), sent.get(10));
        bobsChannel.onMessage(alice.pkiId(), sent.get(1049));
        assertThat(delivered).containsExactly("m1050", "m1049");
        assertThat(bobsChannel.drops(Drop.TOO_OLD)).isEqualTo(1);
        assertThat(bobsChannel.drops(Drop.REPLAYED)).isEqualTo(1);
    }

    @Test
    void floodingNeighbourIsRateLimitedWhileOthersAreStillServed() {
        AuthenticatedChannel<Note> carolsChannel = channelOf(carol, new ArrayList<>());
        for (int i = 0; i < 3000; i++) {
            carolsChannel.transport().send(bob.pkiId(), note("flood" + i));
        }
        List<SignedMessage<Note>> flood = new ArrayList<>(wire);
        flood.forEach(message -> bobsChannel.onMessage(carol.pkiId(), message));
        long accepted = delivered.size();
        assertThat(accepted).as("the burst allowance passes, the rest is dropped").isEqualTo(1000);
        assertThat(bobsChannel.drops(Drop.RATE_LIMITED)).isEqualTo(2000);
        bobsChannel.onMessage(alice.pkiId(), signedBy(alice, "a"));
        assertThat(delivered).last().isEqualTo("a");
        now.addAndGet(1_000);
        bobsChannel.onMessage(carol.pkiId(), new SignedMessage<>(carol.pkiId(), 0, note("x"), new byte[0]));
        assertThat(bobsChannel.drops(Drop.RATE_LIMITED)).as("refilled after a second").isEqualTo(2000);
    }

    @Test
    void keyedHashStandInRejectsForgeriesToo() throws Exception {
        Map<PkiId, Long> secrets = Map.of(alice.pkiId(), 11L, bob.pkiId(), 22L);
        KeyedHashAuthenticator aliceKeys = new KeyedHashAuthenticator(alice.pkiId(), secrets);
        KeyedHashAuthenticator bobKeys = new KeyedHashAuthenticator(bob.pkiId(), secrets);
        byte[] content = {1, 2, 3};
        aliceKeys.verify(alice.pkiId(), content, aliceKeys.sign(content));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> aliceKeys.verify(alice.pkiId(), content, bobKeys.sign(content)))
                .isInstanceOf(AuthenticationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> aliceKeys.verify(alice.pkiId(), new byte[] {1, 2, 4}, aliceKeys.sign(content)))
                .isInstanceOf(AuthenticationException.class);
    }
}
