package io.hearsay.peer.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.ledger.VersionedValue;
import io.hearsay.peer.endorse.TestChannel;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in {@code kv} contract on a real ledger: what {@code put}, {@code get} and {@code del} read, write
 * and emit, and that their read-write sets commit to the state the contract promises.
 */
class KvContractTest {
    @TempDir
    Path directory;
    private TestChannel channel;
    private ContractRunner runner;
    private final KvContract kv = new KvContract();

    @BeforeEach
    void open() {
        channel = new TestChannel(directory, 1);
        runner = new ContractRunner(channel);
    }

    @AfterEach
    void close() {
        channel.close();
    }

    @Test
    void putReadsTheAbsentKeyWritesTheValueAndEmitsAnEvent() throws Exception {
        SimulationResult put = runner.simulate(kv, "put", "colour", "blue");

        assertThat(new String(put.result())).isEqualTo("blue");
        KVRWSet rwSet = put.readWriteSet();
        assertThat(rwSet.getReadsList()).hasSize(1);
        assertThat(rwSet.getReads(0).getKey()).isEqualTo("colour");
        assertThat(rwSet.getReads(0).hasVersion()).as("an absent key is read without a version").isFalse();
        assertThat(rwSet.getWritesList()).hasSize(1);
        assertThat(rwSet.getWrites(0).getValue().toStringUtf8()).isEqualTo("blue");
        ChaincodeEvent event = put.event().orElseThrow();
        assertThat(event.getEventName()).isEqualTo("put");
        assertThat(event.getPayload().toStringUtf8()).isEqualTo("colour");
        assertThat(event.getChaincodeId()).isEqualTo("kv");
        assertThat(event.getTxId()).isEqualTo("tx-1");
    }

    @Test
    void aCommittedPutIsWhatGetReturnsAndTheNextPutReadsItsVersion() throws Exception {
        runner.submit(kv, "put", "colour", "blue");

        assertThat(runner.evaluate(kv, "get", "colour")).isEqualTo("blue");
        assertThat(runner.ledger.state("kv", "colour").map(VersionedValue::value).orElseThrow().toStringUtf8()).isEqualTo("blue");
        KVRWSet second = runner.simulate(kv, "put", "colour", "red").readWriteSet();
        assertThat(second.getReads(0).getVersion()).isEqualTo(Version.newBuilder().setBlockNum(1).setTxNum(0).build());
    }

    @Test
    void getOfAMissingKeyIsAContractError() {
        assertThatThrownBy(() -> runner.simulate(kv, "get", "nothing"))
                .isInstanceOf(ContractException.class).hasMessageContaining("'nothing' does not exist");
    }

    @Test
    void delDeletesTheKey() throws Exception {
        runner.submit(kv, "put", "colour", "blue");
        SimulationResult delete = runner.simulate(kv, "del", "colour");
        assertThat(delete.readWriteSet().getWrites(0).getIsDelete()).isTrue();

        runner.commit(runner.transaction(kv, delete));

        assertThat(runner.ledger.state("kv", "colour")).isEmpty();
        assertThatThrownBy(() -> runner.simulate(kv, "get", "colour")).isInstanceOf(ContractException.class);
    }

    @Test
    void wrongCallsAreContractErrorsThatSayWhatIsExpected() {
        assertThatThrownBy(() -> runner.simulate(kv, "pop", "x"))
                .isInstanceOf(ContractException.class).hasMessageContaining("no function 'pop'").hasMessageContaining("put, get, del");
        assertThatThrownBy(() -> runner.simulate(kv, "put", "only-key"))
                .isInstanceOf(ContractException.class).hasMessageContaining("put(key, value)");
        assertThatThrownBy(() -> runner.simulate(kv, "put", "", "v"))
                .isInstanceOf(ContractException.class).hasMessageContaining("key must not be empty");
    }
}
