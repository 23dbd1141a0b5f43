package io.hearsay.peer.contract;

import java.util.Optional;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;

/**
 * What running a contract produced: its result, the read-write set over its namespace (what endorsers sign and
 * the committer checks), and its event, with chaincode id and transaction id already filled in.
 */
public record SimulationResult(byte[] result, KVRWSet readWriteSet, Optional<ChaincodeEvent> event) {}
