package org.mio.api.plugin;

/**
 * An experiment setting that cannot be used. The message is one line meant for the user: it
 * names the file and JSON path when known, the value found and what is allowed, for example
 * {@code wm.json: training.modelOptimizer.learningRate must be in (0, 1], found -0.01}.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: path, value found, what is allowed */
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
