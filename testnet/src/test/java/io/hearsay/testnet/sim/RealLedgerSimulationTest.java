package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Block gossip committing through real ledgers: signed Fabric transactions, full validation (orderer,
 * creator and endorsement signatures, policy, MVCC) on every simulated peer. Checkers: every peer ends
 * with the same head, the same state hash at every height, and the same validation codes — including for
 * a deliberately duplicated transaction — and a crashed peer catches up to the same state.
 */
class RealLedgerSimulationTest {
    /** An orderer over a sample channel: each block holds fresh blind writes and one replayed transaction. */
    private static final class LedgerOrderer implements BlockSource {
        private final SampleChannel channel;
        private final List<Block> blocks = new ArrayList<>();

        LedgerOrderer(SampleChannel channel) {
            this.channel = channel;
            blocks.add(channel.genesis);
        }

        @Override
        public Block cut() {
            int n = blocks.size();
            Envelope first = channel.put("k" + n, "v" + n, "shared", "block" + n);
            Block block = channel.next(blocks.get(n - 1), first, channel.put("x" + n, "y"), first);
            blocks.add(block);
            return block;
        }

        @Override
        public long height() {
            return blocks.size();
        }

        @Override
        public Block block(long number) {
            return blocks.get((int) number);
        }
    }

    @Test
    void peersValidateEveryBlockAndAgreeOnStateAtEveryHeight(@TempDir Path crypto) {
        long seed = 111;
        int peers = 8;
        SampleChannel channel = new SampleChannel(crypto);
        List<Ledger> ledgers = new ArrayList<>();
        BlockSimulation simulation = new BlockSimulation(
                new BlockSimulation.Scenario(peers, 3, BlockGossipConfig.lan(), LinkModel.lan(), 0, 8, 300, seed),
                new LedgerOrderer(channel), peer -> {
                    try {
                        Ledger ledger = Ledgers.inMemory(channel.genesis, LedgerOptions.defaults().withParallelValidation(false));
                        ledgers.add(ledger);
                        return BlockLedger.of(ledger);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        simulation.crash(5);
        simulation.advance(1_500);
        simulation.restart(5);
        BlockSimulation.Result result = simulation.run(30_000);
        assertThat(result.converged()).as("SEED=%d converged with full validation", seed).isTrue();

        Ledger reference = ledgers.get(0);
        assertThat(reference.height()).isEqualTo(9);
        for (int p = 1; p < peers; p++) {
            Ledger ledger = ledgers.get(p);
            assertThat(ledger.headHash()).as("SEED=%d peer %d head", seed, p).isEqualTo(reference.headHash());
            for (long n = 0; n < reference.height(); n++) {
                assertThat(ledger.stateHashAt(n).orElseThrow()).as("SEED=%d peer %d state hash at %d", seed, p, n)
                        .isEqualTo(reference.stateHashAt(n).orElseThrow());
                assertThat(ledger.block(n)).as("SEED=%d peer %d stored block %d with its codes", seed, p, n)
                        .isEqualTo(reference.block(n));
            }
        }
        Block stored = reference.block(3).orElseThrow();
        assertThat(stored.getMetadata().getMetadata(2).toByteArray()).as("codes: valid, valid, duplicate")
                .containsExactly(TxValidationCode.VALID_VALUE, TxValidationCode.VALID_VALUE, TxValidationCode.DUPLICATE_TXID_VALUE);
        assertThat(reference.state(SampleChannel.CHAINCODE, "shared").orElseThrow().value().toStringUtf8()).isEqualTo("block8");
    }
}
