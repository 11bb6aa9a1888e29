package org.mio.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mio.api.plugin.ConfigException;

/**
 * The one strict JSON binding of mio (STYLE.md §4). Records bind by component name; unknown keys,
 * wrong types, nulls for primitives, float-to-int and string-to-number coercions fail. A record
 * component of primitive type is required; components of object type are optional and their
 * record applies the default for {@code null}. Every failure is a {@link ConfigException} whose
 * one-line message names the source, the JSON path, the value and what is allowed.
 */
public final class Json {
    /**
     * A text file as UTF-8, strictly: a byte sequence that is not UTF-8 is a {@link ConfigException}
     * naming the file and the byte offset, not a garbled string or a decoder's message.
     *
     * @throws java.io.IOException if the file cannot be read
     */
    public static String readUtf8(java.nio.file.Path file) throws java.io.IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new ConfigException(file + ": not UTF-8 text: byte offset " + in.position() + " (0x"
                    + String.format("%02x", bytes[in.position()] & 0xff) + ") starts no valid character");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** The shared mapper (thread-safe once configured). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    static {
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        MAPPER.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        MAPPER.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    private Json() {}

    /**
     * Parses JSON text.
     *
     * @param source file name for messages
     */
    public static JsonNode parse(String text, String source) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new ConfigException(source + ": empty file, expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new ConfigException(source + ": not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    /**
     * Binds a JSON tree to {@code type}.
     *
     * @param source file name for messages, e.g. {@code wm.json}
     * @param path JSON path of {@code node} in the file, empty for the root
     */
    public static <T> T bind(JsonNode node, Class<T> type, String source, String path) {
        checkRequired(node, type, source, path);
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(e, node, type, source, path));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + join(path, e.getMessage()));
        }
    }

    /** Canonical text: keys sorted, indented, newline-terminated. */
    public static String canonical(JsonNode node) {
        try {
            Object sorted = MAPPER.treeToValue(node, Object.class);
            return MAPPER.writeValueAsString(sortKeys(sorted)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Canonical text of any value (records, maps). */
    public static String canonical(Object value) {
        return canonical(MAPPER.valueToTree(value));
    }

    /** Hex SHA-256 of UTF-8 text. */
    public static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object sortKeys(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> t = new TreeMap<>();
            m.forEach((k, x) -> t.put((String) k, sortKeys(x)));
            return t;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(sortKeys(x)));
            return out;
        }
        return v;
    }

    /** Primitive record components must be present (Jackson would silently use 0 or false). */
    private static void checkRequired(JsonNode node, Type type, String source, String path) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class && node != null && node.isArray()) {
            Type element = p.getActualTypeArguments()[0];
            for (int i = 0; i < node.size(); i++) {
                checkRequired(node.get(i), element, source, path + "[" + i + "]");
            }
            return;
        }
        if (!(type instanceof Class<?> c) || !c.isRecord() || node == null || !node.isObject()) {
            return;
        }
        for (RecordComponent rc : c.getRecordComponents()) {
            JsonNode child = node.get(rc.getName());
            String childPath = join(path, rc.getName());
            if (child == null && rc.getType().isPrimitive()) {
                throw new ConfigException(source + ": " + childPath + " is required (" + describeType(rc.getType())
                        + "); present keys: " + keys(node));
            }
            checkRequired(child, rc.getGenericType(), source, childPath);
        }
    }

    private static String describe(
            JsonProcessingException e, JsonNode node, Class<?> type, String source, String path) {
        String at = path;
        if (e instanceof JsonMappingException jm) {
            for (JsonMappingException.Reference r : jm.getPath()) {
                at = r.getFieldName() != null ? join(at, r.getFieldName()) : at + "[" + r.getIndex() + "]";
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> allowed = new ArrayList<>();
            if (u.getKnownPropertyIds() != null) {
                u.getKnownPropertyIds().forEach(k -> allowed.add(String.valueOf(k)));
            }
            java.util.Collections.sort(allowed);
            return source + ": " + at + " is not a known key; allowed here: " + String.join(", ", allowed);
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            return source + ": " + join(at, cause.getMessage());
        }
        if (e instanceof InvalidFormatException f) {
            return source + ": " + at + " must be " + describeType(f.getTargetType()) + ", found "
                    + quote(f.getValue());
        }
        if (e instanceof MismatchedInputException m) {
            JsonNode found = find(node, at.substring(Math.min(at.length(), path.isEmpty() ? 0 : path.length() + 1)));
            return source + ": " + at + " must be " + describeType(m.getTargetType()) + ", found "
                    + (found == null ? "null" : found.toString());
        }
        return source + ": " + (at.isEmpty() ? "" : at + ": ") + e.getOriginalMessage();
    }

    private static JsonNode find(JsonNode root, String relPath) {
        JsonNode n = root;
        if (relPath.isEmpty()) {
            return n;
        }
        for (String part : relPath.split("\\.")) {
            String name = part;
            List<Integer> idx = new ArrayList<>();
            while (name.endsWith("]")) {
                int open = name.lastIndexOf('[');
                idx.add(0, Integer.parseInt(name.substring(open + 1, name.length() - 1)));
                name = name.substring(0, open);
            }
            n = n == null ? null : n.get(name);
            for (int i : idx) {
                n = n == null ? null : n.get(i);
            }
        }
        return n;
    }

    private static String describeType(Class<?> t) {
        if (t == null) {
            return "a value of another type";
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "a whole number";
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        if (t.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : t.getEnumConstants()) {
                names.add(MAPPER.valueToTree(c).asText());
            }
            return "one of " + String.join(", ", names);
        }
        if (List.class.isAssignableFrom(t)) {
            return "a list";
        }
        return "an object";
    }

    private static String quote(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    private static String keys(JsonNode node) {
        List<String> k = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(k::add);
        return k.isEmpty() ? "(none)" : String.join(", ", k);
    }

    /** {@code a.b} joined with a child name or message; either may be empty. */
    static String join(String path, String child) {
        if (path == null || path.isEmpty()) {
            return child;
        }
        return child == null || child.isEmpty() ? path : path + "." + child;
    }

    /** A fresh empty object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
