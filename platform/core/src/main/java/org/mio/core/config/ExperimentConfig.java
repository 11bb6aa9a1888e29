package org.mio.core.config;

import java.util.List;

/**
 * One experiment file.
 *
 * @param name a short name for run folders and reports; default: the file name
 * @param seed master seed; every random stream of the run derives from it
 * @param dataType {@code float} (default) or {@code double}
 * @param threads BLAS and loop threads for this run, ≥ 1; default: the installation's setting
 * @param task the task plugin
 * @param model the model plugin
 * @param estimator the MI estimator plugin
 * @param training the schedule
 * @param analysis analyzers run at every snapshot, in order; default none
 * @param criteria when the run counts as successful and differentiated, judged on its final
 *     metrics and recorded in {@code summary.json}; sweeps use them unless the sweep file sets its
 *     own; default none
 */
public record ExperimentConfig(
        String name,
        long seed,
        String dataType,
        Integer threads,
        PluginSpec task,
        PluginSpec model,
        PluginSpec estimator,
        TrainingConfig training,
        List<PluginSpec> analysis,
        Criteria criteria) {

    /** Applies defaults and checks required sections. */
    public ExperimentConfig {
        if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', found " + name);
        }
        dataType = dataType == null ? "float" : dataType;
        if (!dataType.equals("float") && !dataType.equals("double")) {
            throw new IllegalArgumentException("dataType must be one of float, double, found " + dataType);
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, found " + threads);
        }
        required("task", task);
        required("model", model);
        required("estimator", estimator);
        required("training", training);
        analysis = analysis == null ? List.of() : List.copyOf(analysis);
        criteria = criteria == null ? Criteria.NONE : criteria;
    }

    /** This config with another name. */
    public ExperimentConfig withName(String newName) {
        return new ExperimentConfig(
                newName, seed, dataType, threads, task, model, estimator, training, analysis, criteria);
    }

    private static void required(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
