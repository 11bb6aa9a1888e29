package org.mio.core.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Draw;
import org.mio.api.task.TaskInstance;
import org.mio.core.config.TrainingConfig;
import org.mio.core.run.RunFolder;
import org.mio.core.session.Session;
import org.mio.numerics.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code mio sample}: what the experiment's task generates, as {@code .npy} files a user can load
 * with NumPy: {@code train/} holds the batch of the first model step of epoch 1 and {@code test/}
 * the test batch of the first snapshot, drawn from the same streams as a run of the experiment
 * draws them, with everything the task tells about them
 * ({@link TaskInstance#sampleDetails}: at least inputs and targets).
 */
public final class Sample {
    private Sample() {}

    /**
     * Writes the two batches into {@code out}.
     *
     * @throws IllegalArgumentException if {@code out} exists and is not an empty folder
     */
    public static void write(Session s, Path out, PrintStream log) throws IOException {
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " is a file; name a new folder");
            }
            try (var list = Files.list(out)) {
                if (list.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + out + " exists and is not empty; name a new folder");
                }
            }
        }
        TrainingConfig tc = s.experiment().config().training();
        long seed = s.experiment().config().seed();
        // the streams a run draws these batches from (Trainer.phaseB, Snapshots.write)
        Rng train = Rng.derive(seed, "epoch", "1", "step", "0", "model").split("data");
        Rng test = Rng.derive(seed, "analysis", "0").split("data");
        Map<String, Map<String, INDArray>> parts = new LinkedHashMap<>();
        parts.put(
                "train",
                s.task().sampleDetails(tc.batchSize(), new Draw(TaskInstance.Split.TRAIN, 1, tc.epochs()), train));
        parts.put(
                "test",
                s.task().sampleDetails(tc.batchSize(), new Draw(TaskInstance.Split.TEST, 0, tc.epochs()), test));
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("experiment", s.experiment().config().name());
        about.put("seed", seed);
        about.put("train", "the batch of epoch 1's first model step (stream epoch/1/step/0/model, split data)");
        about.put("test", "the test batch of the snapshot at epoch 0 (stream analysis/0, split data)");
        Map<String, Object> shapes = new LinkedHashMap<>();
        for (var part : parts.entrySet()) {
            Map<String, Object> sh = new LinkedHashMap<>();
            for (var a : part.getValue().entrySet()) {
                Npy.write(out.resolve(part.getKey()).resolve(a.getKey() + ".npy"), a.getValue());
                sh.put(a.getKey(), a.getValue().shape());
            }
            shapes.put(part.getKey(), sh);
        }
        about.put("arrays", shapes);
        new RunFolder(out).writeJson("sample.json", about);
        log.println("sample of " + s.experiment().config().name() + " → " + out);
    }
}
