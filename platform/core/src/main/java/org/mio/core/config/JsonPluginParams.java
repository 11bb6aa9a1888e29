package org.mio.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.mio.api.plugin.PluginParams;

/** {@link PluginParams} over a JSON tree, bound with {@link Json#bind}. */
public final class JsonPluginParams implements PluginParams {
    private final JsonNode node;
    private final String source;
    private final String path;

    /**
     * @param node the params object
     * @param source the experiment file name, for messages
     * @param path JSON path of the params object, e.g. {@code model.params}
     */
    public JsonPluginParams(JsonNode node, String source, String path) {
        this.node = node;
        this.source = source;
        this.path = path;
    }

    @Override
    public <T> T as(Class<T> type) {
        return Json.bind(node, type, source, path);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String toJson() {
        return Json.canonical(node);
    }
}
