package io.hearsay.peer.contract;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The built-in bank contract, namespace {@code bank}: key = account name, value = balance as a decimal integer in
 * UTF-8. Once accounts are opened, {@code transfer} is the only change and it moves money without creating or
 * destroying any, so {@code total()} never changes: the invariant the consistency checks rely on. A conflicting
 * pair of transfers cannot break it either, because each reads both balances and the committer drops the later
 * one as an MVCC conflict.
 * <ul>
 *   <li>{@code open(account, amount)}: a new account; refused if it exists or the amount is negative;</li>
 *   <li>{@code transfer(from, to, amount)}: refused for an unknown account, a non-positive amount, {@code from == to}
 *       or insufficient funds; returns the new balance of {@code from};</li>
 *   <li>{@code balance(account)}; {@code total()}: the sum of all balances, read in pages of the stub's largest
 *       range, so it works for any number of accounts with one page in memory at a time.</li>
 * </ul>
 */
public final class BankContract implements Contract {
    public static final String NAME = "bank";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] invoke(ContractStub stub, String function, List<byte[]> args) throws ContractException {
        return switch (function) {
            case "open" -> open(stub, Arguments.strings(args, "open(account, amount)", 2));
            case "transfer" -> transfer(stub, Arguments.strings(args, "transfer(from, to, amount)", 3));
            case "balance" -> Arguments.utf8(Long.toString(balance(stub, Arguments.strings(args, "balance(account)", 1).get(0))));
            case "total" -> total(stub, Arguments.strings(args, "total()", 0));
            default -> throw Arguments.unknownFunction(NAME, function, "open, transfer, balance, total");
        };
    }

    private static byte[] open(ContractStub stub, List<String> args) throws ContractException {
        String account = args.get(0);
        Arguments.requireKey(account, "account");
        long amount = Arguments.amount(args.get(1), "amount");
        if (amount < 0) {
            throw new ContractException("cannot open account '" + account + "' with a negative amount " + amount);
        }
        if (stub.get(account).isPresent()) {
            throw new ContractException("account '" + account + "' already exists");
        }
        stub.put(account, Arguments.utf8(Long.toString(amount)));
        return Arguments.utf8(Long.toString(amount));
    }

    private static byte[] transfer(ContractStub stub, List<String> args) throws ContractException {
        String from = args.get(0);
        String to = args.get(1);
        long amount = Arguments.amount(args.get(2), "amount");
        if (amount <= 0) {
            throw new ContractException("transfer amount must be positive, got " + amount);
        }
        if (from.equals(to)) {
            throw new ContractException("cannot transfer from account '" + from + "' to itself");
        }
        long fromBalance = balance(stub, from);
        long toBalance = balance(stub, to);
        if (fromBalance < amount) {
            throw new ContractException("insufficient funds: account '" + from + "' has " + fromBalance
                    + ", cannot transfer " + amount);
        }
        long newTo;
        try {
            newTo = Math.addExact(toBalance, amount);
        } catch (ArithmeticException e) {
            throw new ContractException("transfer would overflow the balance of account '" + to + "'");
        }
        stub.put(from, Arguments.utf8(Long.toString(fromBalance - amount)));
        stub.put(to, Arguments.utf8(Long.toString(newTo)));
        return Arguments.utf8(Long.toString(fromBalance - amount));
    }

    private static long balance(ContractStub stub, String account) throws ContractException {
        Arguments.requireKey(account, "account");
        byte[] value = stub.get(account)
                .orElseThrow(() -> new ContractException("account '" + account + "' does not exist; open it first"));
        return parseBalance(account, value);
    }

    private static byte[] total(ContractStub stub, List<String> noArgs) throws ContractException {
        long sum = 0;
        int pageEntries = stub.rangeEntriesMax();
        String from = "";
        List<KeyValue> page;
        do {
            page = stub.range(from, "", pageEntries);
            for (KeyValue entry : page) {
                try {
                    sum = Math.addExact(sum, parseBalance(entry.key(), entry.value()));
                } catch (ArithmeticException e) {
                    throw new ContractException("the total of all balances overflows a 64-bit integer");
                }
            }
            if (!page.isEmpty()) {
                from = page.get(page.size() - 1).key() + "\0"; // the first key after the last one read
            }
        } while (page.size() == pageEntries);
        return Arguments.utf8(Long.toString(sum));
    }

    private static long parseBalance(String account, byte[] value) throws ContractException {
        String text = new String(value, StandardCharsets.UTF_8);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ContractException("account '" + account + "' holds '" + text + "', not a balance");
        }
    }
}
