package io.hearsay.peer.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.identity.Identity;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.membership.MembershipCounters.Refusal;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identities that travel with alive records: one of a member of this node's organisation is validated and kept, so
 * its relayed records can be verified; one of another organisation, one that is not the record's peer's, one that does
 * not validate, or one beyond the bound is refused, counted and reported, and never vouches for anyone.
 */
class MemberIdentitiesTest {
    private static SampleChannel channel;
    private static MspDirectory organizations;

    private final MembershipCounters counters = new MembershipCounters();
    private final List<String> reported = new ArrayList<>();

    @BeforeAll
    static void crypto(@TempDir Path directory) {
        channel = new SampleChannel(directory, 1, 3);
        organizations = new MspDirectory(channel.crypto.msps(), InstantSource.system());
    }

    private static Identity peer(String mspId, int index) {
        return channel.crypto.organization(mspId).nodes().get(index).signingIdentity().identity();
    }

    private MemberIdentities identities(int identitiesMax) {
        return new MemberIdentities(peer("Org1MSP", 0), organizations, peer -> Optional.empty(), counters,
                (from, detail) -> reported.add(detail), identitiesMax);
    }

    @Test
    void aMemberOfThisOrganizationIsKeptAndVouchedFor() {
        MemberIdentities identities = identities(10);
        Identity member = peer("Org1MSP", 1);

        identities.learn(member.pkiId(), Map.of(member.pkiId(), member.serialized()));

        assertThat(identities.of(member.pkiId())).contains(member);
        assertThat(identities.organization(member.pkiId())).contains("Org1MSP");
        assertThat(identities.serialized(member.pkiId())).contains(member.serialized());
        assertThat(identities.of(peer("Org1MSP", 0).pkiId())).as("its own").isPresent();
        assertThat(counters.refusals().values()).allMatch(count -> count == 0);
    }

    @Test
    void anIdentityOfAnotherOrganizationIsRefused() {
        MemberIdentities identities = identities(10);
        Identity foreign = peer("Org2MSP", 0);

        identities.learn(peer("Org1MSP", 1).pkiId(), Map.of(foreign.pkiId(), foreign.serialized()));

        assertThat(identities.organization(foreign.pkiId())).isEmpty();
        assertThat(counters.refused(Refusal.IDENTITY_REFUSED)).isEqualTo(1);
        assertThat(reported).singleElement().asString().contains("of Org2MSP, not a member of Org1MSP");
    }

    @Test
    void anIdentityThatIsNotThePeersOrDoesNotValidateIsRefused() {
        MemberIdentities identities = identities(10);
        Identity member = peer("Org1MSP", 1);
        PkiId other = peer("Org1MSP", 2).pkiId();

        identities.learn(member.pkiId(), Map.of(other, member.serialized()));
        identities.learn(member.pkiId(), Map.of(other, ByteString.copyFromUtf8("not an identity")));

        assertThat(identities.of(other)).isEmpty();
        assertThat(counters.refused(Refusal.IDENTITY_REFUSED)).isEqualTo(2);
        assertThat(reported.get(0)).contains("is " + member.pkiId() + "'s");
        assertThat(reported.get(1)).contains("does not validate");
    }

    @Test
    void aClientOfThisOrganizationIsNoMember() {
        MemberIdentities identities = identities(10);
        Identity client = channel.client.identity(); // Org1MSP's user: valid for the organisation, but no peer

        identities.learn(peer("Org1MSP", 1).pkiId(), Map.of(client.pkiId(), client.serialized()));

        assertThat(identities.of(client.pkiId())).isEmpty();
        assertThat(counters.refused(Refusal.IDENTITY_REFUSED)).isEqualTo(1);
        assertThat(reported).singleElement().asString().contains("is not a peer's (client)");
    }

    @Test
    void beyondTheBoundIdentitiesAreNotKept() {
        MemberIdentities identities = identities(2); // its own, and one more
        Identity first = peer("Org1MSP", 1);
        Identity second = peer("Org1MSP", 2);

        identities.learn(first.pkiId(), Map.of(first.pkiId(), first.serialized()));
        identities.learn(first.pkiId(), Map.of(second.pkiId(), second.serialized()));

        assertThat(identities.of(first.pkiId())).isPresent();
        assertThat(identities.of(second.pkiId())).isEmpty();
        assertThat(counters.refused(Refusal.IDENTITIES_FULL)).isEqualTo(1);
        identities.forget(first.pkiId());
        identities.learn(first.pkiId(), Map.of(second.pkiId(), second.serialized()));
        assertThat(identities.of(second.pkiId())).isPresent();
    }
}
