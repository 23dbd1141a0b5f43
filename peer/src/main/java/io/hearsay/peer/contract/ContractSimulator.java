package io.hearsay.peer.contract;

import io.hearsay.ledger.Ledger;

/**
 * Runs a contract against a ledger's committed state and records what it read and wrote: the "simulation" of
 * Fabric's endorsement. Nothing is written to the ledger; the read-write set is applied only when the
 * transaction carrying it is ordered, validated and committed.
 */
public final class ContractSimulator {
    private ContractSimulator() {
    }

    /** Simulates with the {@link SimulationLimits#defaults() default limits}. */
    public static SimulationResult simulate(Ledger ledger, Contract contract, Invocation invocation)
            throws ContractException {
        return simulate(ledger, contract, invocation, SimulationLimits.defaults());
    }

    /**
     * @throws ContractException the contract refused the invocation; so does a contract that breaks the stub's
     *     rules (an empty key, an unnamed event, an inverted range) or reads a range over {@code limits}, reported
     *     with the contract's name
     */
    public static SimulationResult simulate(Ledger ledger, Contract contract, Invocation invocation,
            SimulationLimits limits) throws ContractException {
        RecordingStub stub = new RecordingStub(ledger, contract.name(), invocation, limits);
        byte[] result;
        try {
            result = contract.invoke(stub, invocation.function(), invocation.args());
        } catch (IllegalArgumentException e) {
            throw new ContractException("contract '" + contract.name() + "' misused its stub: " + e.getMessage());
        }
        return new SimulationResult(result == null ? new byte[0] : result, stub.readWriteSet(), stub.event());
    }
}
