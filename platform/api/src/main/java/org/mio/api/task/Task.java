package org.mio.api.task;

import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
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

    /**
     * Creates the task of one run with a stream for what the task fixes once per run (e.g. the
     * order in which the separation task visits its data files). The platform calls this method;
     * the default ignores the stream.
     *
     * @param params the {@code task.params} of the experiment
     * @param context data type, threads and cache folder of the run
     * @param init the run's stream for the task, derived from the experiment's seed
     * @throws org.mio.api.plugin.ConfigException if a parameter is invalid
     */
    default TaskInstance create(PluginParams params, PluginContext context, Rng init) {
        return create(params, context);
    }
}
