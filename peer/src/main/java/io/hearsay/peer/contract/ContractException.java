package io.hearsay.peer.contract;

/**
 * A contract refused an invocation (unknown function, bad arguments, a business rule such as insufficient funds).
 * The message goes to the client as is, so it should say what was wrong and what to do instead. Evaluate reports
 * it as a gRPC error, Endorse as a failed endorsement; nothing is written either way.
 */
public final class ContractException extends Exception {
    private static final long serialVersionUID = 1L;

    public ContractException(String message) {
        super(message);
    }
}
