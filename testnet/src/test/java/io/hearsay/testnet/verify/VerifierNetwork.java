package io.hearsay.testnet.verify;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.CommitResult;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.Version;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Peers for verifier tests: one sample channel, a RocksDB ledger per peer in a temporary directory, and builders
 * for kv and bank transactions signed and endorsed as real ones are. Blocks are built once and committed to the
 * chosen peers, so peers share blocks byte for byte unless a test gives one a different block.
 */
final class VerifierNetwork implements AutoCloseable {
    final SampleChannel channel;
    private final Path directory;
    private final Map<String, Ledger> ledgers = new LinkedHashMap<>();

    VerifierNetwork(Path directory, String... peers) throws BlockRejectedException {
        this.directory = directory;
        this.channel = new SampleChannel(directory.resolve("crypto"));
        for (String peer : peers) {
            ledgers.put(peer, Ledgers.rocks(ledgerDirectory(peer), channel.genesis, LedgerOptions.defaults()));
        }
    }

    Path ledgerDirectory(String peer) {
        return directory.resolve("ledgers").resolve(peer);
    }

    Ledger ledger(String peer) {
        return ledgers.get(peer);
    }

    /** The head block shared by {@code peer}, to build the next one on. */
    Block head(String peer) {
        Ledger ledger = ledgers.get(peer);
        return ledger.block(ledger.height() - 1).orElseThrow();
    }

    /** Builds the next block on {@code peers}' common head and commits it to each of them. */
    Block commit(List<String> peers, Envelope... transactions) throws BlockRejectedException {
        Block block = channel.next(head(peers.get(0)), transactions);
        for (String peer : peers) {
            CommitResult result = ledgers.get(peer).commit(block);
            if (result.height() != block.getHeader().getNumber() + 1) {
                throw new IllegalStateException("block not committed on " + peer);
            }
        }
        return block;
    }

    Block commitToAll(Envelope... transactions) throws BlockRejectedException {
        return commit(List.copyOf(ledgers.keySet()), transactions);
    }

    TxValidationCode code(String peer, long block, int transaction) {
        Block stored = ledgers.get(peer).block(block).orElseThrow();
        return TxValidationCode.forNumber(stored.getMetadata().getMetadata(2).byteAt(transaction));
    }

    /** Blind writes of account=balance pairs in namespace bank (opening balances, or a transfer's two writes). */
    Envelope bank(String... accountBalances) {
        KVRWSet.Builder rwSet = KVRWSet.newBuilder();
        for (int i = 0; i < accountBalances.length; i += 2) {
            rwSet.addWrites(SampleChannel.write(accountBalances[i], accountBalances[i + 1]));
        }
        return bankTransaction(rwSet.build());
    }

    /** A transfer as the bank contract makes it: it read both accounts at {@code readVersion}, then wrote both. */
    Envelope bankTransfer(Version readVersion, String from, String fromBalance, String to, String toBalance) {
        KVRWSet rwSet = KVRWSet.newBuilder()
                .addReads(SampleChannel.read(from, readVersion)).addReads(SampleChannel.read(to, readVersion))
                .addWrites(SampleChannel.write(from, fromBalance)).addWrites(SampleChannel.write(to, toBalance))
                .build();
        return bankTransaction(rwSet);
    }

    private Envelope bankTransaction(KVRWSet rwSet) {
        return EndorserTransactions.build(SampleChannel.CHANNEL, "bank", channel.client, channel.nextNonce(),
                Timestamp.newBuilder().setSeconds(1_700_000_000L).build(), List.of(ByteString.copyFromUtf8("transfer")),
                rwSet, List.of(channel.org1Peer, channel.org2Peer));
    }

    /** Every peer's open ledger as a chain source. */
    List<ChainSource> sources() {
        List<ChainSource> sources = new ArrayList<>();
        ledgers.forEach((peer, ledger) -> sources.add(LedgerChainSource.of(peer, ledger)));
        return sources;
    }

    /** Closes {@code peer}'s ledger, so its files can be changed on disk and reopened. */
    void stop(String peer) {
        ledgers.remove(peer).close();
    }

    @Override
    public void close() {
        ledgers.values().forEach(Ledger::close);
    }
}
