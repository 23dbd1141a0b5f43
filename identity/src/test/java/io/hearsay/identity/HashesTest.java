package io.hearsay.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every way of hashing gives SHA-256 of the concatenated bytes: from arrays or from byte strings however
 * they are stored (flat, views, ropes), from a fresh digest or from the one reused per thread, also after a
 * call that failed half way.
 */
class HashesTest {
    private static final long SEED = 20261124L;
    /** SHA-256("abc"), FIPS 180-2 appendix B.1. */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void knownAnswer() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(HexFormat.of().formatHex(Hashes.sha256(abc))).isEqualTo(ABC);
        assertThat(HexFormat.of().formatHex(Hashes.sha256(new byte[] {'a'}, new byte[] {'b', 'c'}))).isEqualTo(ABC);
        assertThat(HexFormat.of().formatHex(Hashes.sha256(ByteString.copyFromUtf8("ab"), ByteString.copyFromUtf8("c"))))
                .isEqualTo(ABC);
        assertThat(HexFormat.of().formatHex(Hashes.sha256().digest(abc))).isEqualTo(ABC);
    }

    @Test
    void byteStringsHashLikeTheirBytesHoweverTheyAreStored() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 50; round++) {
            byte[] a = new byte[random.nextInt(0, 10_000)];
            byte[] b = new byte[random.nextInt(0, 300)];
            random.nextBytes(a);
            random.nextBytes(b);
            byte[] expected = Hashes.sha256(a, b);
            ByteString rope = ByteString.copyFrom(a).concat(ByteString.copyFrom(b));
            ByteString view = ByteString.copyFromUtf8("--").concat(ByteString.copyFrom(a)).substring(2);
            assertThat(Hashes.sha256(rope)).as("SEED=%d round %d", SEED, round).isEqualTo(expected);
            assertThat(Hashes.sha256(view, ByteString.copyFrom(b))).as("SEED=%d round %d", SEED, round).isEqualTo(expected);
        }
    }

    @Test
    void freshDigestsAreIndependentOfEachOtherAndOfTheOneShotOnes() throws Exception {
        MessageDigest first = Hashes.sha256();
        MessageDigest second = Hashes.sha256();
        first.update("a".getBytes(StandardCharsets.US_ASCII));
        second.update("x".getBytes(StandardCharsets.US_ASCII));
        Hashes.sha256("unrelated".getBytes(StandardCharsets.US_ASCII));
        first.update("bc".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(first.digest())).isEqualTo(ABC);
        assertThat(second.digest()).isEqualTo(Hashes.sha256("x".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aCallThatFailsHalfWayLeavesNothingBehindForTheNext() {
        assertThatThrownBy(() -> Hashes.sha256(new byte[] {'z'}, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Hashes.sha256(ByteString.copyFromUtf8("z"), null)).isInstanceOf(NullPointerException.class);
        assertThat(HexFormat.of().formatHex(Hashes.sha256("abc".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(ABC);
        assertThat(HexFormat.of().formatHex(Hashes.sha256(ByteString.copyFromUtf8("abc")))).isEqualTo(ABC);
    }
}
