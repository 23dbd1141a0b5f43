package io.hearsay.peer.contract;

import io.hearsay.identity.Identity;
import java.util.List;
import java.util.Objects;

/** One call of a contract function: who asked, under which transaction id, with what arguments. */
public record Invocation(String transactionId, Identity creator, String function, List<byte[]> args) {
    public Invocation {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(function, "function");
        args = List.copyOf(args);
    }
}
