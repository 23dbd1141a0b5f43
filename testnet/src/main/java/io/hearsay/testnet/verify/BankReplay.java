package io.hearsay.testnet.verify;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * The bank contract's balances recomputed from one peer's chain, block by block, checking its invariant: money
 * moves between accounts but is never made or destroyed. Per block, the balances of the accounts that existed
 * before it sum to what they summed to before it (a deleted account counts as 0, so deleting a funded account
 * breaks the invariant); the total grows only by the opening balances of accounts the block creates. No balance
 * may go negative.
 *
 * <p>Data format (shared with the bank contract): namespace {@value #NAMESPACE}, key = account name, value = the
 * balance as a decimal integer in UTF-8.
 */
final class BankReplay {
    static final String NAMESPACE = "bank";
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,60}");

    private final Map<String, BigInteger> balances = new TreeMap<>();

    /**
     * Applies {@code block}'s valid bank writes and returns what breaks the invariant (empty if nothing does).
     *
     * @throws MalformedBlockException if the block's valid transactions cannot be read
     */
    List<String> apply(Block block) throws MalformedBlockException {
        List<List<KVWrite>> transactions = BlockWrites.validWrites(block, NAMESPACE);
        if (transactions.isEmpty()) {
            return List.of();
        }
        Set<String> existing = new TreeSet<>(balances.keySet());
        BigInteger before = total();
        List<String> problems = new ArrayList<>();
        Set<String> written = new TreeSet<>();
        for (List<KVWrite> writes : transactions) {
            for (KVWrite write : writes) {
                written.add(write.getKey());
                if (write.getIsDelete()) {
                    balances.remove(write.getKey());
                    continue;
                }
                String text = write.getValue().toString(StandardCharsets.UTF_8);
                if (!DECIMAL.matcher(text).matches()) {
                    problems.add("account " + write.getKey() + " was set to \"" + abbreviate(text)
                            + "\", not a decimal balance");
                    balances.remove(write.getKey());
                    continue;
                }
                balances.put(write.getKey(), new BigInteger(text));
            }
        }
        BigInteger after = BigInteger.ZERO;
        for (String account : existing) {
            after = after.add(balances.getOrDefault(account, BigInteger.ZERO));
        }
        if (!after.equals(before)) {
            problems.add("the " + existing.size() + " accounts that existed before the block held " + before
                    + " in total and " + after + " after it (" + (after.compareTo(before) > 0 ? "+" : "")
                    + after.subtract(before) + ")");
        }
        for (String account : written) {
            BigInteger balance = balances.get(account);
            if (balance != null && balance.signum() < 0) {
                problems.add("account " + account + " is at " + balance);
            }
        }
        return problems;
    }

    BigInteger total() {
        return balances.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
    }

    int accounts() {
        return balances.size();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
