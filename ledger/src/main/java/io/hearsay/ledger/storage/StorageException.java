package io.hearsay.ledger.storage;

/** A storage operation failed (I/O error, corruption, storage closed). The message says which and where. */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
