package org.mio.api.plugin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The {@code params} object of one plugin section of an experiment file, e.g. the
 * {@code "params"} of {@code "model": {"kind": "leaky-rnn", "params": {...}}}.
 *
 * <p>The platform keeps it as a JSON tree; the plugin converts it into its own immutable record
 * with {@link #as(Class)}. Conversion is strict: an unknown key, a missing record component, a
 * null or a wrong type fails with a {@link ConfigException} whose message names the experiment
 * file, the JSON path, the value and what is allowed. Validation that a record performs in its
 * compact constructor (throwing {@link IllegalArgumentException} with a one-line message) is
 * reported the same way. A missing {@code params} object converts as an empty object, so a
 * record whose components all have defaults can be read from it.
 */
@ProviderType
public interface PluginParams {

    /**
     * Converts the parameters into {@code type}, normally a record with a
     * {@code @JsonCreator}-free canonical constructor.
     *
     * @throws ConfigException on any unknown, missing, mistyped or invalid value
     */
    <T> T as(Class<T> type);

    /** The JSON path of this object in the experiment, e.g. {@code model.params}. */
    String path();

    /** The parameters as canonical JSON text (sorted keys), for provenance and logging. */
    String toJson();
}
