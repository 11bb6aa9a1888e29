package org.mio.core.registry;

import org.mio.api.run.PluginInfo;

/**
 * A plugin service fixed for the duration of one run.
 *
 * @param service the service object
 * @param info type, kind, bundle and version
 * @param serviceId the service's {@code service.id}, to recognise its removal
 */
public record Pinned<T>(T service, PluginInfo info, long serviceId) {
    /** {@code model 'leaky-rnn' (bundle org.mio.model-leaky-rnn 0.1.0)}. */
    public String describe() {
        return info.type() + " '" + info.kind() + "' (bundle " + info.bundle() + " " + info.version() + ")";
    }
}
