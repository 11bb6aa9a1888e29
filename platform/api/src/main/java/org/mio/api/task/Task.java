package org.mio.api.task;

import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A task plugin: a stateless factory, registered as an OSGi service with the property
 * {@link #KIND}. Implementations are Declarative Services components, e.g.
 * {@code @Component @TaskKind("working-memory") class WorkingMemoryTask implements Task}.
 *
 * <p>Thread-safe: {@link #create} may be called by several runs at once.
 */
@ConsumerType
public interface Task {

    /** Service property (String): the kind experiments name this task by, e.g. {@code working-memory}. */
    String KIND = "mio.task.kind";

    /**
     * Creates the task of one run.
     *
     * @param params the {@code task.params} of the experiment; convert with {@link PluginParams#as}
     * @param context data type, threads and cache folder of the run
     * @throws org.mio.api.plugin.ConfigException if a parameter is invalid
     */
    TaskInstance create(PluginParams params, PluginContext context);
}
