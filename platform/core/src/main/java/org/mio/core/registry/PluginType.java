package org.mio.core.registry;

import org.mio.api.analysis.Analyzer;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.model.RecurrentModel;
import org.mio.api.task.Task;

/** The plugin interfaces (the four of an experiment, and figure renderers), with their kind property and the experiment section naming them. */
public enum PluginType {
    /** {@link Task}. */
    TASK("task", Task.class, Task.KIND),
    /** {@link RecurrentModel}. */
    MODEL("model", RecurrentModel.class, RecurrentModel.KIND),
    /** {@link MIEstimator}. */
    ESTIMATOR("estimator", MIEstimator.class, MIEstimator.KIND),
    /** {@link Analyzer}. */
    ANALYZER("analyzer", Analyzer.class, Analyzer.KIND),
    /** {@link FigureRenderer}. */
    RENDERER("renderer", FigureRenderer.class, FigureRenderer.KIND);

    private final String label;
    private final Class<?> service;
    private final String kindProperty;

    PluginType(String label, Class<?> service, String kindProperty) {
        this.label = label;
        this.service = service;
        this.kindProperty = kindProperty;
    }

    /** {@code task}, {@code model}, {@code estimator}, {@code analyzer} or {@code renderer}. */
    public String label() {
        return label;
    }

    /** The service interface. */
    public Class<?> service() {
        return service;
    }

    /** The service property holding the kind. */
    public String kindProperty() {
        return kindProperty;
    }
}
