package io.hearsay.testnet.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One mapping of a parsed spec file, read field by field with its path, so every type error and unknown key
 * names where it is. Refuses unknown keys up front, listing the allowed ones: a misspelt key would otherwise be
 * silently ignored and its default used.
 */
final class SpecFields {
    private final String path;
    private final Map<String, Object> values;

    private SpecFields(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values;
    }

    /** {@code value} as a mapping with only {@code allowedKeys}; null (an empty section) is an empty mapping. */
    static SpecFields of(String path, Object value, Set<String> allowedKeys) {
        if (value == null) {
            return new SpecFields(path, Map.of());
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new SpecException(path, "must be a mapping of " + String.join(", ", new TreeSet<>(allowedKeys))
                    + ", got " + SpecValues.describe(value));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key) || !allowedKeys.contains(key)) {
                throw new SpecException(SpecPaths.join(path, String.valueOf(entry.getKey())),
                        "unknown key; allowed keys: " + String.join(", ", new TreeSet<>(allowedKeys)));
            }
            values.put(key, entry.getValue());
        }
        return new SpecFields(path, values);
    }

    String path() {
        return path;
    }

    String path(String key) {
        return SpecPaths.join(path, key);
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    Object raw(String key) {
        return values.get(key);
    }

    String string(String key, String defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString(); // a domain like 'example' or an id like 123 is still meant as text
        }
        throw new SpecException(path(key), "must be text, got " + SpecValues.describe(value));
    }

    String requiredString(String key) {
        String value = string(key, null);
        if (value == null) {
            throw new SpecException(path(key), "is required");
        }
        return value;
    }

    long integer(String key, long defaultValue) {
        Object value = values.get(key);
        return value == null ? defaultValue : integer(path(key), value);
    }

    int smallInteger(String key, int defaultValue) {
        long value = integer(key, defaultValue);
        SpecException.checkRange(path(key), value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return (int) value;
    }

    static long integer(String path, Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new SpecException(path, "must be an integer, got " + SpecValues.describe(value));
    }

    /** The list under {@code key} (a single value counts as a list of one), or the default's elements. */
    List<Object> list(String key, Supplier<List<Object>> defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue.get();
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        throw new SpecException(path(key), "must be a list, got " + SpecValues.describe(value));
    }

    /**
     * Builds a record from values already read, putting any problem its constructor reports (with a path relative
     * to the record) under {@code path}. Only the constructor call goes in here: problems found while reading carry
     * their full path already.
     */
    static <T> T construct(String path, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (SpecException e) {
            throw e.within(path);
        }
    }
}
