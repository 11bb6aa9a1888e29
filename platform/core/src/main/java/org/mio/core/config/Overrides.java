package org.mio.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.mio.api.plugin.ConfigException;

/**
 * {@code --set path=value} overrides. The path is dotted with optional list indices
 * ({@code training.lambdaMi}, {@code analysis[0].params.group}); the value is JSON
 * ({@code 0.1}, {@code true}, {@code {"a": 1}}, {@code "text"}) or, if it does not parse, a
 * plain string. Missing objects along the path are created.
 */
public final class Overrides {
    private Overrides() {}

    /** Applies every {@code path=value} to {@code root} in order. */
    public static void apply(ObjectNode root, List<String> overrides) {
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + o + ": expected path=value, e.g. training.epochs=10");
            }
            set(root, o.substring(0, eq).trim(), parseValue(o.substring(eq + 1)), o);
        }
    }

    private static JsonNode parseValue(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    /** An index of a path; one that does not fit an int is a bad input, not a crash. */
    private static int index(String digits, String name, String original) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new ConfigException("--set " + original + ": " + name + " has no element " + digits);
        }
    }

    private static void set(ObjectNode root, String path, JsonNode value, String original) {
        if (!path.matches("[A-Za-z_][A-Za-z0-9_]*(\\[\\d+])*(\\.[A-Za-z_][A-Za-z0-9_]*(\\[\\d+])*)*")) {
            throw new ConfigException("--set " + original + ": '" + path
                    + "' is not a path like training.lambdaMi or analysis[0].params.x");
        }
        JsonNode parent = root;
        String[] parts = path.split("\\.");
        for (int p = 0; p < parts.length; p++) {
            String part = parts[p];
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            boolean last = p == parts.length - 1;
            List<Integer> indices = bracket < 0
                    ? List.of()
                    : java.util.Arrays.stream(part.substring(bracket + 1, part.length() - 1)
                                    .split("]\\["))
                            .map(i -> index(i, name, original))
                            .toList();
            if (!(parent instanceof ObjectNode obj)) {
                throw new ConfigException("--set " + original + ": cannot set '" + name + "' inside " + parent);
            }
            if (indices.isEmpty()) {
                if (last) {
                    obj.set(name, value);
                    return;
                }
                JsonNode next = obj.get(name);
                if (next == null || next.isNull()) {
                    next = obj.putObject(name);
                }
                parent = next;
                continue;
            }
            JsonNode node = obj.get(name);
            for (int k = 0; k < indices.size(); k++) {
                int i = indices.get(k);
                if (!(node instanceof ArrayNode arr) || i >= arr.size()) {
                    throw new ConfigException("--set " + original + ": " + name + " has no element " + i);
                }
                if (last && k == indices.size() - 1) {
                    arr.set(i, value);
                    return;
                }
                node = arr.get(i);
            }
            parent = node;
        }
    }
}
