package io.hearsay.peer.contract;

import static io.hearsay.peer.contract.ScriptedContract.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.peer.endorse.TestChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulation's Fabric semantics, with a scripted contract: reads see committed state, not the invocation's
 * own writes; the read-write set is sorted and holds one read per key and the last write per key; a range read is
 * recorded with the versions it saw; a contract breaking the stub's rules gets a contract error, not a crash.
 */
class ContractSimulatorTest {
    @TempDir
    Path directory;
    private TestChannel channel;
    private ContractRunner runner;

    @BeforeEach
    void open() throws Exception {
        channel = new TestChannel(directory, 1);
        runner = new ContractRunner(channel);
        runner.submit(new KvContract(), "put", "b", "committed");
    }

    @AfterEach
    void close() {
        channel.close();
    }

    @Test
    void readsSeeCommittedStateAndTheSetIsSortedWithOneEntryPerKey() throws Exception {
        Contract script = new ScriptedContract((stub, args) -> {
            stub.put("b", bytes("mine"));
            String seen = new String(stub.get("b").orElseThrow(), StandardCharsets.UTF_8);
            stub.get("b");
            stub.get("a");
            stub.put("c", bytes("1"));
            stub.put("c", bytes("2"));
            stub.delete("a");
            return bytes(seen);
        });

        SimulationResult result = runner.simulate(script, "run");

        assertThat(new String(result.result(), StandardCharsets.UTF_8)).isEqualTo("committed");
        KVRWSet rwSet = result.readWriteSet();
        assertThat(rwSet.getReadsList()).extracting(read -> read.getKey()).containsExactly("a", "b");
        assertThat(rwSet.getReads(0).hasVersion()).isFalse();
        assertThat(rwSet.getReads(1).hasVersion()).isTrue();
        assertThat(rwSet.getWritesList()).extracting(write -> write.getKey()).containsExactly("a", "b", "c");
        assertThat(rwSet.getWrites(0).getIsDelete()).isTrue();
        assertThat(rwSet.getWrites(2).getValue().toStringUtf8()).isEqualTo("2");
        assertThat(runner.ledger.state("kv", "b").orElseThrow().value().toStringUtf8())
                .as("simulation writes nothing").isEqualTo("committed");
    }

    @Test
    void aRangeReadIsRecordedWithItsBoundsAndVersions() throws Exception {
        Contract script = new ScriptedContract((stub, args) -> bytes(Integer.toString(stub.range("a", "c").size())));

        SimulationResult result = runner.simulate(script, "run");

        assertThat(new String(result.result(), StandardCharsets.UTF_8)).isEqualTo("1");
        var range = result.readWriteSet().getRangeQueriesInfo(0);
        assertThat(range.getStartKey()).isEqualTo("a");
        assertThat(range.getEndKey()).isEqualTo("c");
        assertThat(range.getRawReads().getKvReads(0).getKey()).isEqualTo("b");
        assertThat(range.getRawReads().getKvReads(0).getVersion().getBlockNum()).isEqualTo(1);
    }

    @Test
    void aContractMisusingTheStubGetsAContractError() {
        Contract script = new ScriptedContract((stub, args) -> {
            stub.put("", bytes("x"));
            return new byte[0];
        });

        assertThatThrownBy(() -> runner.simulate(script, "run"))
                .isInstanceOf(ContractException.class).hasMessageContaining("keys must be non-empty");
    }
}
