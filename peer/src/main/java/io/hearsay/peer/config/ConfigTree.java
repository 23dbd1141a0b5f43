package io.hearsay.peer.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A node's configuration as read from a YAML file, with overrides from the environment and the command line,
 * read through typed getters that name the key and the allowed range in every error. Keys are dotted paths
 * ({@code gossip.preset}); an override for {@code gossip.preset} comes from the environment variable
 * {@code <PREFIX>_GOSSIP_PRESET} or a flag {@code --set gossip.preset=wan}, the flag winning. Keys the reader never
 * asked for are reported by {@link #requireAllRead()}, so a misspelt option fails instead of being ignored.
 */
public final class ConfigTree {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final String source;
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();

    private ConfigTree(String source, Map<String, Object> values) {
        this.source = source;
        this.values = values;
    }

    /** Reads {@code file} and applies overrides from {@code environment} (variables starting with {@code prefix_}) and {@code flags}. */
    public static ConfigTree load(Path file, String prefix, Map<String, String> environment, Map<String, String> flags) {
        Map<String, Object> tree;
        try (Reader reader = Files.newBufferedReader(file)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            tree = document == null ? Map.of() : asMap(document, file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read the config file " + file + ": " + e.getMessage());
        } catch (YAMLException e) {
            throw new ConfigException("the config file " + file + " is not valid YAML: " + e.getMessage());
        }
        return of(file.toString(), tree, prefix, environment, flags);
    }

    /** A tree from already parsed YAML (tests, embedded nodes), with the same overrides. */
    public static ConfigTree of(String source, Map<String, Object> tree, String prefix, Map<String, String> environment,
            Map<String, String> flags) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", tree, flat);
        String envPrefix = prefix.toUpperCase(Locale.ROOT) + "_";
        for (String key : new ArrayList<>(flat.keySet())) {
            String variable = envPrefix + key.toUpperCase(Locale.ROOT).replace('.', '_');
            if (environment.containsKey(variable)) {
                flat.put(key, environment.get(variable));
            }
        }
        // Variables for keys the file does not mention still count: the defaults are overridable too.
        environment.forEach((variable, value) -> {
            if (variable.startsWith(envPrefix)) {
                String key = variable.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (flat.keySet().stream().noneMatch(key::equalsIgnoreCase)) {
                    flat.put(key, value);
                }
            }
        });
        flat.putAll(flags);
        return new ConfigTree(source, flat);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node, String where) {
        if (!(node instanceof Map)) {
            throw new ConfigException(where + ": expected a mapping of keys to values");
        }
        return (Map<String, Object>) node;
    }

    private static void flatten(String prefix, Map<String, Object> tree, Map<String, Object> out) {
        tree.forEach((key, value) -> {
            String path = prefix + key;
            if (value instanceof Map<?, ?> map) {
                flatten(path + ".", asMap(map, path), out);
            } else {
                out.put(path, value);
            }
        });
    }

    /** Keys whose names are compared case-insensitively for env overrides; the source file's spelling wins. */
    private Optional<Object> raw(String key) {
        read.add(key);
        if (values.containsKey(key)) {
            return Optional.ofNullable(values.get(key));
        }
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
                read.add(entry.getKey());
                return Optional.ofNullable(entry.getValue());
            }
        }
        return Optional.empty();
    }

    private ConfigException invalid(String key, String problem) {
        return new ConfigException(source + ": " + key + ": " + problem);
    }

    public String string(String key, String fallback) {
        return raw(key).map(String::valueOf).orElse(fallback);
    }

    public String requiredString(String key, String what) {
        return raw(key).map(String::valueOf).filter(s -> !s.isBlank())
                .orElseThrow(() -> invalid(key, "missing; " + what));
    }

    public long longValue(String key, long fallback, long min, long max) {
        long value = raw(key).map(v -> parse(key, v, s -> Long.parseLong(s.replace("_", "")), "an integer")).orElse(fallback);
        if (value < min || value > max) {
            throw invalid(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public int intValue(String key, int fallback, int min, int max) {
        return (int) longValue(key, fallback, min, max);
    }

    public boolean bool(String key, boolean fallback) {
        return raw(key).map(v -> {
            String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
            throw invalid(key, "must be true or false, got '" + v + "'");
        }).orElse(fallback);
    }

    /** A duration such as {@code 500ms}, {@code 10s}, {@code 15m} or {@code 1h}. */
    public Duration duration(String key, Duration fallback, Duration min, Duration max) {
        Duration value = raw(key).map(v -> {
            Matcher m = DURATION.matcher(String.valueOf(v).trim());
            if (!m.matches()) {
                throw invalid(key, "must be a duration like 500ms, 10s, 15m or 1h, got '" + v + "'");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }).orElse(fallback);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        return raw(key).map(v -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(String.valueOf(v).trim())) {
                    return constant;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw invalid(key, "must be one of " + allowed + ", got '" + v + "'");
        }).orElse(fallback);
    }

    /** A {@code host:port} address; port 0 means any free port. */
    public HostPort hostPort(String key, HostPort fallback) {
        return raw(key).map(v -> HostPort.parse(String.valueOf(v), message -> invalid(key, message))).orElse(fallback);
    }

    /**
     * Every value under {@code prefix} (a mapping in the file, or dotted keys from overrides), by the rest of its key:
     * for options whose names are open-ended, such as the fields of a protocol config.
     */
    public Map<String, Object> subtree(String prefix) {
        String start = prefix + ".";
        Map<String, Object> values = new java.util.TreeMap<>();
        this.values.forEach((key, value) -> {
            if (key.regionMatches(true, 0, start, 0, start.length())) {
                read.add(key);
                values.put(key.substring(start.length()), value);
            }
        });
        return values;
    }

    /** A list of mappings, each read through its own tree whose keys are relative to the element. */
    public List<ConfigTree> list(String key) {
        Optional<Object> value = raw(key);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!(value.get() instanceof List<?> items)) {
            throw invalid(key, "must be a list");
        }
        List<ConfigTree> trees = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = key + "[" + i + "]";
            Map<String, Object> flat = new LinkedHashMap<>();
            flatten("", asMap(items.get(i), source + ": " + where), flat);
            trees.add(new ConfigTree(source + ": " + where, flat));
        }
        return trees;
    }

    /**
     * Fails if the file set a key no getter asked for (a misspelling would otherwise be ignored silently),
     * listing the keys that are understood.
     */
    public void requireAllRead() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new ConfigException(source + ": unknown option" + (unknown.size() == 1 ? " " : "s ") + unknown
                    + "; the options are " + new TreeSet<>(read));
        }
    }

    private <T> T parse(String key, Object value, Function<String, T> parser, String what) {
        try {
            return parser.apply(String.valueOf(value).trim());
        } catch (RuntimeException e) {
            throw invalid(key, "must be " + what + ", got '" + value + "'");
        }
    }

    /** A network address as {@code host:port}. */
    public record HostPort(String host, int port) {
        public static HostPort parse(String text, Function<String, ConfigException> error) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw error.apply("must be host:port, got '" + text + "'");
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw error.apply("port must be a number, got '" + text.substring(colon + 1) + "'");
            }
            if (port < 0 || port > 65535) {
                throw error.apply("port must be between 0 and 65535, got " + port);
            }
            return new HostPort(text.substring(0, colon), port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
