package io.hearsay.testnet.verify;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One channel's line of a peer's {@code GET /status} (operations endpoint), which this class assumes to be
 * <pre>
 * {"channels": {"testchannel": {"height": 12, "headHash": "hex", "stateHash": "hex"}, …}, …}
 * </pre>
 * Other fields are ignored; {@code headHash} and {@code stateHash} are optional.
 *
 * @param height the peer's committed blocks on the channel
 * @param stateHash its world-state hash after block {@code height - 1}, if reported
 */
public record PeerStatus(long height, Optional<byte[]> headHash, Optional<byte[]> stateHash) {

    /**
     * Asks {@code operationsUrl}/status for {@code channel}.
     *
     * @throws IllegalStateException naming the URL and what went wrong (unreachable, bad status, bad JSON, no channel)
     */
    public static PeerStatus fetch(HttpClient http, String operationsUrl, String channel, Duration timeout) {
        URI uri = URI.create(operationsUrl.endsWith("/") ? operationsUrl + "status" : operationsUrl + "/status");
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + uri, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered HTTP " + response.statusCode());
        }
        try {
            return parse(response.body(), channel);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("GET " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code channel}'s status from the JSON body of {@code /status}. */
    public static PeerStatus parse(String json, String channel) {
        JsonObject channels;
        try {
            JsonElement root = JsonParser.parseString(json);
            JsonElement element = root.isJsonObject() ? root.getAsJsonObject().get("channels") : null;
            if (element == null || !element.isJsonObject()) {
                throw new IllegalArgumentException("the status has no \"channels\" object");
            }
            channels = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("the status is not valid JSON: " + e.getMessage(), e);
        }
        JsonElement status = channels.get(channel);
        if (status == null || !status.isJsonObject()) {
            throw new IllegalArgumentException("the peer is not on channel " + channel + "; it reports "
                    + channels.keySet());
        }
        JsonObject fields = status.getAsJsonObject();
        JsonElement height = fields.get("height");
        if (height == null || !height.isJsonPrimitive() || !height.getAsJsonPrimitive().isNumber()
                || height.getAsLong() < 0) {
            throw new IllegalArgumentException("channel " + channel + " has no height (a non-negative number)");
        }
        return new PeerStatus(height.getAsLong(), hex(fields, "headHash"), hex(fields, "stateHash"));
    }

    private static Optional<byte[]> hex(JsonObject fields, String name) {
        JsonElement value = fields.get(name);
        if (value == null || value.isJsonNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(HexFormat.of().parseHex(value.getAsString()));
        } catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
            throw new IllegalArgumentException(name + " is not hex: " + value);
        }
    }
}
