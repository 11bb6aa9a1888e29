package org.mio.core.train;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mio.core.run.Checkpoint;
import org.mio.core.run.RunFolder;
import org.mio.core.session.Session;
import org.mio.numerics.Optimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The resumable state of a run: the model's parameters, the model optimizer's moments and the
 * estimator's state, tagged with the experiment's hash so that a checkpoint is never restored
 * into another experiment.
 */
final class Checkpoints {
    /** Groups of tensors in a checkpoint. */
    static final String MODEL = "model";

    static final String MODEL_OPTIMIZER = "model-optimizer";
    static final String ESTIMATOR = "estimator";

    private final Session session;
    private final RunFolder folder;
    private final Optimizer modelOptimizer;

    Checkpoints(Session session, RunFolder folder, Optimizer modelOptimizer) {
        this.session = session;
        this.folder = folder;
        this.modelOptimizer = modelOptimizer;
    }

    void save(int epoch) throws IOException {
        Map<String, Map<String, INDArray>> g = new LinkedHashMap<>();
        g.put(MODEL, new LinkedHashMap<>(session.network().parameters()));
        g.put(MODEL_OPTIMIZER, modelOptimizer.state());
        g.put(ESTIMATOR, session.estimator().state());
        new Checkpoint(epoch, session.experiment().hash(), g).save(folder.dir());
    }

    /**
     * Restores the folder's checkpoint into the session's objects.
     *
     * @return the checkpoint's epoch
     * @throws IOException if it cannot be read or belongs to another experiment
     */
    int restore() throws IOException {
        Checkpoint cp = Checkpoint.load(folder.dir());
        if (!cp.configHash().equals(session.experiment().hash())) {
            throw new IOException("the checkpoint belongs to another experiment (hash " + cp.configHash()
                    + ", experiment.json has " + session.experiment().hash() + ")");
        }
        Map<String, INDArray> saved = cp.groups().get(MODEL);
        for (var p : session.network().parameters().entrySet()) {
            INDArray v = saved.get(p.getKey());
            if (v == null) {
                throw new IllegalArgumentException("checkpoint has no model parameter " + p.getKey());
            }
            p.getValue().assign(v.castTo(p.getValue().dataType()));
        }
        modelOptimizer.restoreState(cp.groups().get(MODEL_OPTIMIZER));
        session.estimator().restoreState(cp.groups().get(ESTIMATOR));
        return cp.epoch();
    }
}
