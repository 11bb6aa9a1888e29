package org.mio.core.session;

import java.util.List;
import org.mio.api.analysis.Analyzer;
import org.mio.api.estimator.Estimator;
import org.mio.api.model.Network;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.task.TaskInstance;
import org.mio.core.config.ExperimentLoader;
import org.mio.core.registry.Pinned;

/**
 * The plugin instances of one run, created (and their parameters validated) before the run
 * folder exists.
 *
 * @param experiment the resolved experiment
 * @param context what the plugins were given
 * @param task the task instance
 * @param network the network, freshly initialized
 * @param estimator the estimator, freshly initialized
 * @param analyzers the analyzers with their params
 * @param pinned every plugin service used, for provenance and removal tracking
 */
public record Session(
        ExperimentLoader.Loaded experiment,
        PluginContext context,
        TaskInstance task,
        Network network,
        Estimator estimator,
        List<AnalyzerUse> analyzers,
        List<Pinned<?>> pinned) {

    /**
     * One analyzer and its parameters.
     *
     * @param kind the analyzer's kind
     * @param analyzer the service
     * @param params its params
     */
    public record AnalyzerUse(String kind, Analyzer analyzer, PluginParams params) {}
}
