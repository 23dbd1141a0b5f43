package io.hearsay.peer.contract;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/** The contracts a peer runs, by name. Immutable. */
public final class Contracts {
    private final SortedMap<String, Contract> byName;

    private Contracts(Collection<Contract> contracts) {
        TreeMap<String, Contract> map = new TreeMap<>();
        for (Contract contract : contracts) {
            if (contract.name() == null || contract.name().isEmpty()) {
                throw new IllegalArgumentException("a contract needs a non-empty name: " + contract.getClass().getName());
            }
            if (map.put(contract.name(), contract) != null) {
                throw new IllegalArgumentException("two contracts are named '" + contract.name() + "'; names must be unique");
            }
        }
        this.byName = map;
    }

    public static Contracts of(Contract... contracts) {
        return new Contracts(List.of(contracts));
    }

    /** The built-in contracts: {@code kv} and {@code bank}. */
    public static Contracts builtIn() {
        return of(new KvContract(), new BankContract());
    }

    public Optional<Contract> contract(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public SortedSet<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
    }
}
