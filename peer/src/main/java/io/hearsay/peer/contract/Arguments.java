package io.hearsay.peer.contract;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Argument checks shared by the built-in contracts, with errors that show the expected call. */
final class Arguments {
    private Arguments() {
    }

    /** The arguments as UTF-8 strings, after checking there are exactly as many as {@code usage} names. */
    static List<String> strings(List<byte[]> args, String usage, int count) throws ContractException {
        if (args.size() != count) {
            throw new ContractException("expected " + count + " argument" + (count == 1 ? "" : "s") + ": " + usage
                    + ", got " + args.size());
        }
        return args.stream().map(arg -> new String(arg, StandardCharsets.UTF_8)).toList();
    }

    static void requireKey(String key, String what) throws ContractException {
        if (key.isEmpty()) {
            throw new ContractException(what + " must not be empty");
        }
    }

    static long amount(String text, String what) throws ContractException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ContractException(what + " must be a whole number, got '" + text + "'");
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static ContractException unknownFunction(String contract, String function, String known) {
        return new ContractException("contract '" + contract + "' has no function '" + function + "'; it has " + known);
    }
}
