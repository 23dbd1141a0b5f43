package io.hearsay.peer.contract;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The built-in key/value contract, namespace {@code kv}, keys and values as given:
 * <ul>
 *   <li>{@code put(key, value)} reads the key (so concurrent puts of one key conflict at commit), writes the value,
 *       returns it and emits event {@code put} with the key as payload;</li>
 *   <li>{@code get(key)} returns the value; a missing key is a contract error;</li>
 *   <li>{@code del(key)} deletes the key.</li>
 * </ul>
 */
public final class KvContract implements Contract {
    public static final String NAME = "kv";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] invoke(ContractStub stub, String function, List<byte[]> args) throws ContractException {
        return switch (function) {
            case "put" -> put(stub, args);
            case "get" -> get(stub, args);
            case "del" -> delete(stub, args);
            default -> throw Arguments.unknownFunction(NAME, function, "put, get, del");
        };
    }

    private static byte[] put(ContractStub stub, List<byte[]> args) throws ContractException {
        if (args.size() != 2) {
            throw new ContractException("expected 2 arguments: put(key, value), got " + args.size());
        }
        String key = new String(args.get(0), StandardCharsets.UTF_8);
        Arguments.requireKey(key, "key");
        stub.get(key);
        stub.put(key, args.get(1));
        stub.setEvent("put", Arguments.utf8(key));
        return args.get(1);
    }

    private static byte[] get(ContractStub stub, List<byte[]> args) throws ContractException {
        String key = Arguments.strings(args, "get(key)", 1).get(0);
        Arguments.requireKey(key, "key");
        return stub.get(key).orElseThrow(() -> new ContractException("key '" + key + "' does not exist"));
    }

    private static byte[] delete(ContractStub stub, List<byte[]> args) throws ContractException {
        String key = Arguments.strings(args, "del(key)", 1).get(0);
        Arguments.requireKey(key, "key");
        stub.delete(key);
        return new byte[0];
    }
}
