package io.hearsay.peer.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a committed block the way the event services do: validation codes from the TRANSACTIONS_FILTER byte of
 * each transaction, read unsigned; a missing byte is NOT_VALIDATED; an envelope that does not parse is reported
 * with an empty id and no events instead of failing the block; events carry the transaction id.
 */
class CommittedTransactionTest {
    @TempDir
    static Path directory;
    static SampleChannel sample;

    @BeforeAll
    static void generate() {
        sample = new SampleChannel(directory);
    }

    @Test
    void readsCodesUnsignedAndToleratesUnparsableEnvelopes() {
        try (TestChain chain = new TestChain(sample, directory.resolve("unused-ledger"))) {
            Envelope withEvent = chain.withEvent("kv", "put", "p");
            Block block = Block.newBuilder()
                    .setData(BlockData.newBuilder()
                            .addData(withEvent.toByteString())
                            .addData(ByteString.copyFromUtf8("not an envelope"))
                            .addData(chain.plain().toByteString()))
                    .setMetadata(BlockMetadata.newBuilder()
                            .addMetadata(ByteString.EMPTY)
                            .addMetadata(ByteString.EMPTY)
                            .addMetadata(ByteString.copyFrom(new byte[] {0, (byte) 255})))
                    .build();

            List<CommittedTransaction> transactions = CommittedTransaction.of(block);

            assertThat(transactions).extracting(CommittedTransaction::validationCode).containsExactly(
                    TxValidationCode.VALID, TxValidationCode.INVALID_OTHER_REASON, TxValidationCode.NOT_VALIDATED);
            assertThat(transactions.get(0).transactionId()).isEqualTo(TestChain.transactionId(withEvent));
            assertThat(transactions.get(0).events()).singleElement().satisfies(event -> {
                assertThat(event.getTxId()).isEqualTo(TestChain.transactionId(withEvent));
                assertThat(event.getPayload().toStringUtf8()).isEqualTo("p");
            });
            assertThat(transactions.get(1).transactionId()).isEmpty();
            assertThat(transactions.get(1).events()).isEmpty();
            assertThat(transactions.get(2).events()).isEmpty();
            assertThat(CommittedTransaction.transactionIds(block)).containsExactly(
                    TestChain.transactionId(withEvent), "", transactions.get(2).transactionId());
        }
    }
}
