package io.hearsay.testnet.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One JSON object of a connection profile, read with its path so a missing or mistyped field is named. */
final class ProfileFields {
    private final String path;
    private final JsonObject object;
    private final Path baseDirectory;

    private ProfileFields(String path, JsonObject object, Path baseDirectory) {
        this.path = path;
        this.object = object;
        this.baseDirectory = baseDirectory;
    }

    static ProfileFields object(String path, JsonElement element, Path baseDirectory) {
        if (element == null || !element.isJsonObject()) {
            throw new IllegalArgumentException(where(path) + "must be a JSON object");
        }
        return new ProfileFields(path, element.getAsJsonObject(), baseDirectory);
    }

    ProfileFields child(String key, JsonElement element) {
        return object(SpecPaths.join(path, key), element, baseDirectory);
    }

    JsonElement element(String key) {
        JsonElement element = object.get(key);
        if (element == null || element.isJsonNull()) {
            throw new IllegalArgumentException(where(SpecPaths.join(path, key)) + "is missing");
        }
        return element;
    }

    List<JsonElement> array(String key) {
        JsonElement element = element(key);
        if (!element.isJsonArray()) {
            throw new IllegalArgumentException(where(SpecPaths.join(path, key)) + "must be a JSON array");
        }
        List<JsonElement> elements = new ArrayList<>();
        element.getAsJsonArray().forEach(elements::add);
        return elements;
    }

    String text(String key) {
        return text(SpecPaths.join(path, key), element(key));
    }

    Optional<String> optionalText(String key) {
        JsonElement element = object.get(key);
        return element == null || element.isJsonNull()
                ? Optional.empty() : Optional.of(text(SpecPaths.join(path, key), element));
    }

    /** A file path; relative ones are taken from the profile's directory. */
    Path path(String key) {
        return baseDirectory.resolve(text(key)).normalize();
    }

    static String text(String path, JsonElement element) {
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(where(path) + "must be a JSON string");
        }
        return element.getAsString();
    }

    private static String where(String path) {
        return path.isEmpty() ? "the top level " : path + " ";
    }
}
