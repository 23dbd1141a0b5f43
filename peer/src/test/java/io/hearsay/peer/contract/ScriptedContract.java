package io.hearsay.peer.contract;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A contract in the {@code kv} namespace whose every function runs one script: for tests of the stub's semantics. */
final class ScriptedContract implements Contract {
    /** What the contract does with its stub, whatever function is invoked. */
    interface Script {
        byte[] run(ContractStub stub, List<byte[]> args) throws ContractException;
    }

    private final Script script;

    ScriptedContract(Script script) {
        this.script = script;
    }

    @Override
    public String name() {
        return KvContract.NAME;
    }

    @Override
    public byte[] invoke(ContractStub stub, String function, List<byte[]> args) throws ContractException {
        return script.run(stub, args);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
