package io.hearsay.peer.contract;

import java.nio.charset.StandardCharsets;

/** One committed entry seen by a contract's range read. */
public record KeyValue(String key, byte[] value) {
    public String valueUtf8() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
