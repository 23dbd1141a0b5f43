package io.hearsay.ledger.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.identity.Hashes;
import java.util.Arrays;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Test;

/**
 * Header bytes are exactly what Go's encoding/asn1 produces for Fabric's asn1Header{Number *big.Int,
 * PreviousHash, DataHash}, byte for byte, including uint64 numbers above Long.MAX_VALUE.
 */
class BlockHashingTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] DATA_HASH = filled(32, 0xab);

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static BlockHeader header(long number, byte[] previousHash) {
        return BlockHeader.newBuilder().setNumber(number).setPreviousHash(ByteString.copyFrom(previousHash))
                .setDataHash(ByteString.copyFrom(DATA_HASH)).build();
    }

    @Test
    void genesisHeaderEncodesZeroAndAnEmptyPreviousHash() {
        String expected = "3027" + "020100" + "0400" + "0420" + "ab".repeat(32);
        assertThat(HEX.formatHex(BlockHashing.headerBytes(header(0, new byte[0])))).isEqualTo(expected);
    }

    @Test
    void numberWithTheHighBitOfAByteSetGetsALeadingZero() {
        String expected = "3048" + "02020080" + "0420" + "11".repeat(32) + "0420" + "ab".repeat(32);
        assertThat(HEX.formatHex(BlockHashing.headerBytes(header(128, filled(32, 0x11))))).isEqualTo(expected);
    }

    @Test
    void uint64MaxIsEncodedAsAPositiveNineByteInteger() {
        String expected = "304f" + "020900" + "ff".repeat(8) + "0420" + "00".repeat(32) + "0420" + "ab".repeat(32);
        assertThat(HEX.formatHex(BlockHashing.headerBytes(header(-1L, new byte[32])))).isEqualTo(expected);
    }

    @Test
    void headerHashIsSha256OfTheDerBytes() {
        BlockHeader header = header(7, filled(32, 0x22));
        assertThat(BlockHashing.headerHash(header)).isEqualTo(Hashes.sha256(BlockHashing.headerBytes(header)));
    }

    @Test
    void dataHashIsSha256OfTheConcatenatedEntries() {
        BlockData empty = BlockData.getDefaultInstance();
        assertThat(HEX.formatHex(BlockHashing.dataHash(empty)))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        BlockData two = BlockData.newBuilder().addData(ByteString.copyFromUtf8("ab")).addData(ByteString.copyFromUtf8("c")).build();
        assertThat(BlockHashing.dataHash(two)).isEqualTo(Hashes.sha256("abc".getBytes()));
    }
}
