package org.mio.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One plugin section, {@code {"kind": "...", "params": {...}}}. The params stay a JSON tree; the
 * chosen plugin converts them into its own record.
 *
 * @param kind the plugin kind, lowercase letters, digits and dashes
 * @param params the plugin's parameters; absent means {@code {}}
 */
public record PluginSpec(String kind, JsonNode params) {

    /** Checks the kind and defaults the params. */
    public PluginSpec {
        if (kind == null || !kind.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException(
                    "kind must be lowercase letters, digits and dashes (e.g. working-memory), found " + kind);
        }
        if (params == null || params.isNull()) {
            params = JsonNodeFactory.instance.objectNode();
        }
        if (!params.isObject()) {
            throw new IllegalArgumentException("params must be an object, found " + params);
        }
    }
}
