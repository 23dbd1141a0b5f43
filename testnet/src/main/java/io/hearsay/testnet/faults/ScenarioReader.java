package io.hearsay.testnet.faults;

import io.hearsay.testnet.spec.SpecValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a {@link Scenario} from YAML. Each step has a time {@code at} (from the start of the scenario, with a unit:
 * {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}) and exactly one action; steps are listed in time order.
 *
 * <pre>
 * name: demo                      # optional; defaults to the file name
 * seed: 42                        # optional (default 1); seeds loss and jitter
 * steps:
 *   - {at: 0s,  load: {tps: 20}}              # submit load; load: off stops it
 *   - {at: 5s,  kill: peer1.org1.example.com} # clean stop; sigkill: for a process's SIGKILL
 *   - {at: 10s, partition: [[Org1MSP], [Org2MSP]]}   # groups of peers or organisations;
 *                                             #   partition: [Org1MSP] cuts one group off from the rest
 *   - {at: 15s, heal: true}                   # removes every link fault
 *   - {at: 16s, restart: peer1.org1.example.com}
 *   - {at: 20s, loss: {link: "*", rate: 0.05}}        # link: "*" | a peer or MSP id | [end, other end]
 *   - {at: 25s, latency: {link: peer0.org1.example.com, delay: 50ms, jitter: 10ms}}   # jitter optional
 *   - {at: 30s, clog: peer0.org2.example.com}
 *   - {at: 35s, unclog: peer0.org2.example.com}
 *   - {at: 40s, converge: {timeout: 30s}}     # wait until every running peer has the same chain
 * </pre>
 *
 * Errors name the step by index and the field ({@code steps[3].loss.rate: must be between 0 and 1, got 1.5}). Only
 * YAML's plain types are built, duplicate keys are refused, and unknown keys are refused with the allowed ones
 * listed: a misspelt key would otherwise be ignored and the scenario run without the fault the user asked for.
 */
final class ScenarioReader {
    private static final Set<String> ROOT_KEYS = Set.of("name", "seed", "steps");
    private static final Set<String> ACTIONS = Set.of("load", "kill", "sigkill", "restart", "partition", "heal", "loss",
            "latency", "clog", "unclog", "converge");
    private static final Set<String> LOAD_KEYS = Set.of("tps");
    private static final Set<String> LOSS_KEYS = Set.of("link", "rate");
    private static final Set<String> LATENCY_KEYS = Set.of("link", "delay", "jitter");
    private static final Set<String> CONVERGE_KEYS = Set.of("timeout");
    /** A scenario is a page of text; anything near these is a mistake, not a scenario. */
    private static final int CODE_POINTS_MAX = 1 << 20;
    static final int STEPS_MAX = 10_000;
    static final double TPS_MAX = 1_000_000;

    private ScenarioReader() {}

    static Scenario read(String defaultName, String yaml) {
        Map<String, Object> root = mapping("", parseYaml(yaml), ROOT_KEYS);
        String name = root.get("name") == null ? defaultName : text("name", root.get("name"));
        long seed = root.get("seed") == null ? 1 : integer("seed", root.get("seed"));
        Object stepsValue = root.get("steps");
        if (!(stepsValue instanceof List<?> list) || list.isEmpty()) {
            throw new ScenarioException("steps", "must be a list of at least one step, got " + SpecValues.describe(stepsValue));
        }
        if (list.size() > STEPS_MAX) {
            throw new ScenarioException("steps", "has " + list.size() + " steps; at most " + STEPS_MAX + " are allowed");
        }
        List<ScenarioStep> steps = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ScenarioStep step = step(i, list.get(i));
            if (i > 0 && step.at().compareTo(steps.get(i - 1).at()) < 0) {
                throw new ScenarioException("steps[" + i + "].at", Durations.format(step.at()) + " is before the previous step's "
                        + Durations.format(steps.get(i - 1).at()) + "; list the steps in the order of their times");
            }
            steps.add(step);
        }
        return new Scenario(name, seed, steps);
    }

    private static Object parseYaml(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(CODE_POINTS_MAX);
        options.setMaxAliasesForCollections(16);
        try {
            return new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (YAMLException e) {
            throw new ScenarioException("", "not a valid YAML scenario: " + e.getMessage().replace('\n', ' ').replaceAll(" +", " "));
        }
    }

    private static ScenarioStep step(int index, Object value) {
        String path = "steps[" + index + "]";
        Set<String> allowed = new TreeSet<>(ACTIONS);
        allowed.add("at");
        if (!(value instanceof Map<?, ?>)) {
            throw new ScenarioException(path, "must be a mapping of at and one action (" + String.join(", ", new TreeSet<>(ACTIONS))
                    + "), got " + SpecValues.describe(value));
        }
        Map<String, Object> fields = mapping(path, value, allowed);
        if (fields.get("at") == null) {
            throw new ScenarioException(path + ".at", "is required: when the step runs, from the start (e.g. 5s)");
        }
        Duration at = Durations.parse(path + ".at", fields.get("at"));
        List<String> actions = fields.keySet().stream().filter(ACTIONS::contains).toList();
        if (actions.isEmpty()) {
            throw new ScenarioException(path, "has no action; give one of " + String.join(", ", new TreeSet<>(ACTIONS)));
        }
        if (actions.size() > 1) {
            throw new ScenarioException(path, "has " + String.join(" and ", actions)
                    + "; a step does one thing, so give each its own step (they may share a time)");
        }
        String action = actions.get(0);
        return new ScenarioStep(index, at, action(path + "." + action, action, fields.get(action)));
    }

    private static FaultAction action(String path, String action, Object value) {
        return switch (action) {
            case "load" -> load(path, value);
            case "kill" -> new FaultAction.Kill(text(path, value));
            case "sigkill" -> new FaultAction.Sigkill(text(path, value));
            case "restart" -> new FaultAction.Restart(text(path, value));
            case "clog" -> new FaultAction.Clog(text(path, value));
            case "unclog" -> new FaultAction.Unclog(text(path, value));
            case "partition" -> new FaultAction.Partition(groups(path, value));
            case "heal" -> {
                if (!Boolean.TRUE.equals(value)) {
                    throw new ScenarioException(path, "must be true, got " + SpecValues.describe(value));
                }
                yield new FaultAction.Heal();
            }
            case "loss" -> {
                Map<String, Object> fields = mapping(path, value, LOSS_KEYS);
                double rate = number(path + ".rate", required(path, fields, "rate"));
                if (!(rate >= 0 && rate <= 1)) {
                    throw new ScenarioException(path + ".rate", "must be between 0 and 1, got " + number(rate));
                }
                yield new FaultAction.Loss(links(path + ".link", required(path, fields, "link")), rate);
            }
            case "latency" -> {
                Map<String, Object> fields = mapping(path, value, LATENCY_KEYS);
                Duration delay = Durations.parse(path + ".delay", required(path, fields, "delay"));
                Duration jitter = fields.get("jitter") == null ? Duration.ZERO : Durations.parse(path + ".jitter", fields.get("jitter"));
                yield new FaultAction.Latency(links(path + ".link", required(path, fields, "link")), delay, jitter);
            }
            case "converge" -> {
                Map<String, Object> fields = mapping(path, value, CONVERGE_KEYS);
                Duration timeout = Durations.parse(path + ".timeout", required(path, fields, "timeout"));
                if (timeout.isZero()) {
                    throw new ScenarioException(path + ".timeout", "must be more than 0");
                }
                yield new FaultAction.Converge(timeout);
            }
            default -> throw new IllegalStateException(action);
        };
    }

    private static FaultAction load(String path, Object value) {
        if ("off".equals(value) || Boolean.FALSE.equals(value)) { // YAML 1.1 reads a bare off as false
            return new FaultAction.Load(0);
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new ScenarioException(path, "must be {tps: N} or off, got " + SpecValues.describe(value));
        }
        Map<String, Object> fields = mapping(path, value, LOAD_KEYS);
        double tps = number(path + ".tps", required(path, fields, "tps"));
        if (!(tps >= 0 && tps <= TPS_MAX)) {
            throw new ScenarioException(path + ".tps", "must be between 0 and " + number(TPS_MAX) + ", got " + number(tps));
        }
        return new FaultAction.Load(tps);
    }

    /** [[a, b], [c]] as groups, or [a, b] as the one group cut off from everyone else. */
    private static List<Set<String>> groups(String path, Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new ScenarioException(path, "must be a list of groups, e.g. [[Org1MSP], [Org2MSP]] or [peer0.org1.example.com]"
                    + ", got " + SpecValues.describe(value));
        }
        boolean oneGroup = list.stream().noneMatch(element -> element instanceof List<?>);
        List<?> groupValues = oneGroup ? List.of(list) : list;
        Map<String, Integer> groupOf = new HashMap<>();
        List<Set<String>> groups = new ArrayList<>();
        for (int g = 0; g < groupValues.size(); g++) {
            String groupPath = oneGroup ? path : path + "[" + g + "]";
            if (!(groupValues.get(g) instanceof List<?> members) || members.isEmpty()) {
                throw new ScenarioException(groupPath, "must be a non-empty list of peer names or MSP ids, got "
                        + SpecValues.describe(groupValues.get(g)));
            }
            Set<String> group = new LinkedHashSet<>();
            for (int m = 0; m < members.size(); m++) {
                String name = text(groupPath + "[" + m + "]", members.get(m));
                Integer earlier = groupOf.putIfAbsent(name, g);
                if (earlier != null) {
                    throw new ScenarioException(groupPath + "[" + m + "]", "\"" + name + "\" is already in "
                            + (earlier == g ? "this group" : "group " + earlier) + "; a peer is on one side of a partition");
                }
                group.add(name);
            }
            groups.add(group);
        }
        return groups;
    }

    private static LinkSelector links(String path, Object value) {
        if (value instanceof List<?> ends) {
            if (ends.size() != 2) {
                throw new ScenarioException(path, "must be \"*\", a peer or MSP id, or a pair [end, other end]; got a list of "
                        + ends.size());
            }
            return new LinkSelector(text(path + "[0]", ends.get(0)), text(path + "[1]", ends.get(1)));
        }
        return LinkSelector.of(text(path, value));
    }

    private static Object required(String path, Map<String, Object> fields, String key) {
        Object value = fields.get(key);
        if (value == null) {
            throw new ScenarioException(path + "." + key, "is required");
        }
        return value;
    }

    private static Map<String, Object> mapping(String path, Object value, Set<String> allowedKeys) {
        if (value == null && path.isEmpty()) {
            throw new ScenarioException(path, "the scenario is empty; it needs steps");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ScenarioException(path, "must be a mapping of " + String.join(", ", new TreeSet<>(allowedKeys))
                    + ", got " + SpecValues.describe(value));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key) || !allowedKeys.contains(key)) {
                String keyPath = path.isEmpty() ? String.valueOf(entry.getKey()) : path + "." + entry.getKey();
                throw new ScenarioException(keyPath, "unknown key; allowed keys: " + String.join(", ", new TreeSet<>(allowedKeys)));
            }
            values.put(key, entry.getValue());
        }
        return values;
    }

    private static String text(String path, Object value) {
        if (value instanceof String text && !text.isBlank()) {
            return text.trim();
        }
        throw new ScenarioException(path, "must be a name (text), got " + SpecValues.describe(value));
    }

    private static long integer(String path, Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new ScenarioException(path, "must be an integer, got " + SpecValues.describe(value));
    }

    private static double number(String path, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Double) {
            return ((Number) value).doubleValue();
        }
        throw new ScenarioException(path, "must be a number, got " + SpecValues.describe(value));
    }

    /** A number as a scenario would write it: 20, not 20.0. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
