package io.hearsay.peer.contract;

import java.util.List;

/**
 * A smart contract ("chaincode") a prototype implements: named functions that read and write versioned state
 * through a {@link ContractStub} and may emit one event. The stub keeps the contract inside its own namespace
 * (the contract's name) and records what it reads and writes, which is what endorsers sign.
 *
 * <p>Implementations must be deterministic: every endorsing peer runs the same invocation against the same
 * committed state and their results must be byte-identical, or the endorsements will not match. So no clocks,
 * no randomness, no iteration over unordered collections.
 */
public interface Contract {

    /** The chaincode name clients use ({@code network.getContract(name)}) and the state namespace. */
    String name();

    /**
     * Runs {@code function} with {@code args}.
     *
     * @return the result handed to the client (may be empty)
     * @throws ContractException when the invocation is refused; its message goes to the client
     */
    byte[] invoke(ContractStub stub, String function, List<byte[]> args) throws ContractException;
}
