package io.hearsay.peer.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.CommitResult;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.endorse.TestChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Runs contracts against one real RocksDB ledger of the sample channel (policy: 1 of Org1MSP, Org2MSP) and commits
 * what they wrote as endorsed transactions, so contract tests see the committed-state semantics a peer has.
 */
final class ContractRunner {
    private final TestChannel channel;
    final Ledger ledger;
    private int transactions;

    ContractRunner(TestChannel channel) {
        this.channel = channel;
        this.ledger = channel.ledger("peer0");
    }

    SimulationResult simulate(Contract contract, String function, String... args) throws ContractException {
        return simulate(SimulationLimits.defaults(), contract, function, args);
    }

    SimulationResult simulate(SimulationLimits limits, Contract contract, String function, String... args)
            throws ContractException {
        Invocation invocation = new Invocation("tx-" + (++transactions), channel.sample.client.identity(), function,
                Arrays.stream(args).map(arg -> arg.getBytes(StandardCharsets.UTF_8)).toList());
        return ContractSimulator.simulate(ledger, contract, invocation, limits);
    }

    /** The transaction carrying {@code simulation}'s read-write set, endorsed by an Org1 peer and signed. */
    Envelope transaction(Contract contract, SimulationResult simulation) {
        return EndorserTransactions.build(SampleChannel.CHANNEL, contract.name(), channel.sample.client,
                channel.sample.nextNonce(), Timestamp.newBuilder().setSeconds(1_700_000_000L).build(),
                List.of(ByteString.copyFromUtf8("invoke")), simulation.readWriteSet(), List.of(channel.sample.org1Peer));
    }

    CommitResult commit(Envelope... envelopes) throws BlockRejectedException {
        return channel.commit(ledger, envelopes);
    }

    /** Simulates and commits one invocation, which must be valid; returns its result as text. */
    String submit(Contract contract, String function, String... args) throws ContractException, BlockRejectedException {
        SimulationResult simulation = simulate(contract, function, args);
        CommitResult result = commit(transaction(contract, simulation));
        assertThat(result.validationCodes()).containsExactly(TxValidationCode.VALID);
        return new String(simulation.result(), StandardCharsets.UTF_8);
    }

    String evaluate(Contract contract, String function, String... args) throws ContractException {
        return new String(simulate(contract, function, args).result(), StandardCharsets.UTF_8);
    }
}
