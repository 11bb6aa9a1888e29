package org.mio.core.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
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
     * Restores a checkpoint of this run's folder into the session's objects, after checking that
     * it belongs to the folder's experiment and that every tensor has the shape of what it
     * restores. Called before anything of the run is written.
     *
     * @throws Checkpoint.Damaged naming the file and what is wrong
     */
    void restore(Checkpoint cp) throws Checkpoint.Damaged {
        Path dir = folder.dir();
        if (!cp.configHash().equals(session.experiment().hash())) {
            throw new Checkpoint.Damaged(dir.resolve(RunFolder.EXPERIMENT) + ": differs from the experiment the "
                    + "checkpoint was made with (SHA-256 "
                    + session.experiment().hash() + ", checkpoint "
                    + cp.configHash() + "); it was edited after the run started");
        }
        Map<String, INDArray> saved = group(cp, MODEL);
        Map<String, INDArray> live = session.network().parameters();
        checkModel(saved, live, name -> file(MODEL, name));
        Map<String, INDArray> opt = group(cp, MODEL_OPTIMIZER);
        for (var e : opt.entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            INDArray param = slash < 0 ? null : live.get(e.getKey().substring(0, slash));
            if (param != null) {
                sameShape(
                        e.getValue(),
                        param,
                        file(MODEL_OPTIMIZER, e.getKey()),
                        "the model's " + e.getKey().substring(0, slash));
            }
        }
        try {
            modelOptimizer.restoreState(opt);
            session.estimator().restoreState(group(cp, ESTIMATOR));
        } catch (IllegalArgumentException e) {
            throw new Checkpoint.Damaged(dir.resolve("checkpoint") + ": " + e.getMessage());
        }
        assignModel(saved, live);
    }

    /**
     * Checks saved model parameters (a checkpoint's, a snapshot's) against the model's: each one
     * there, each of its shape.
     *
     * @param file where the saved tensor of a parameter is, for the message
     * @throws Checkpoint.Damaged naming the file and what is wrong
     */
    static void checkModel(Map<String, INDArray> saved, Map<String, INDArray> live, Function<String, Path> file)
            throws Checkpoint.Damaged {
        for (var p : live.entrySet()) {
            INDArray v = saved.get(p.getKey());
            if (v == null) {
                throw new Checkpoint.Damaged(
                        file.apply(p.getKey()) + ": missing; the model has a parameter " + p.getKey());
            }
            sameShape(v, p.getValue(), file.apply(p.getKey()), "the model's " + p.getKey());
        }
    }

    /** Copies parameters checked by {@link #checkModel} into the model's, in its data type. */
    static void assignModel(Map<String, INDArray> saved, Map<String, INDArray> live) {
        for (var p : live.entrySet()) {
            p.getValue().assign(saved.get(p.getKey()).castTo(p.getValue().dataType()));
        }
    }

    private Map<String, INDArray> group(Checkpoint cp, String name) throws Checkpoint.Damaged {
        Map<String, INDArray> g = cp.groups().get(name);
        if (g == null) {
            throw new Checkpoint.Damaged(folder.dir().resolve("checkpoint").resolve(name) + ": missing; a checkpoint "
                    + "holds the groups " + MODEL + ", " + MODEL_OPTIMIZER + " and " + ESTIMATOR);
        }
        return g;
    }

    private Path file(String group, String tensor) {
        return folder.dir()
                .resolve("checkpoint")
                .resolve(group)
                .resolve(java.net.URLEncoder.encode(tensor, java.nio.charset.StandardCharsets.UTF_8) + ".npy");
    }

    private static void sameShape(INDArray saved, INDArray live, Path file, String what) throws Checkpoint.Damaged {
        if (!java.util.Arrays.equals(saved.shape(), live.shape())) {
            throw new Checkpoint.Damaged(file + ": shape " + java.util.Arrays.toString(saved.shape()) + ", " + what
                    + " is " + java.util.Arrays.toString(live.shape()));
        }
    }
}
