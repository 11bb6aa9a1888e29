package org.mio.core.config;

/**
 * Initial states per phase. The reference uses zeros in phase A and N(0, 1) for phase B,
 * estimator pre-training and analysis (METHOD.md §1, §9.11); those are the defaults.
 *
 * @param estimator phase A (estimator steps inside the main loop); default zeros
 * @param model phase B (model steps); default normal
 * @param pretrain estimator pre-training; default normal
 * @param analysis snapshot evaluation runs; default normal
 */
public record InitialStates(InitialState estimator, InitialState model, InitialState pretrain, InitialState analysis) {

    /** Applies the defaults. */
    public InitialStates {
        estimator = estimator == null ? InitialState.ZEROS : estimator;
        model = model == null ? InitialState.NORMAL : model;
        pretrain = pretrain == null ? InitialState.NORMAL : pretrain;
        analysis = analysis == null ? InitialState.NORMAL : analysis;
    }

    /** The reference's choice. */
    public static InitialStates defaults() {
        return new InitialStates(null, null, null, null);
    }
}
