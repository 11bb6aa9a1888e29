package org.mio.core.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.mio.api.model.Trajectory;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.Trace;
import org.mio.core.config.Json;
import org.mio.numerics.AtomicFiles;
import org.mio.numerics.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The first evaluation sequence of a snapshot with the network's outputs over all of it,
 * transient included, stored beside the snapshot's weights ({@code trace_inputs.npy},
 * {@code trace_targets.npy}, {@code trace_outputs.npy} as {@code [time, units]}, and
 * {@code trace.json} with the transient length), so that the task's dynamics figure can be
 * drawn again at any time.
 */
public final class RunTrace {
    private static final String INPUTS = "trace_inputs.npy";
    private static final String TARGETS = "trace_targets.npy";
    private static final String OUTPUTS = "trace_outputs.npy";
    private static final String META = "trace.json";

    private RunTrace() {}

    /**
     * Writes sequence 0 of an evaluation run.
     *
     * @param dir the snapshot folder
     * @param batch the evaluation batch
     * @param transientRun the run over the transient, or {@code null} if there is none
     * @param learning the run over the learning segment
     */
    public static void write(Path dir, TaskBatch batch, Trajectory transientRun, Trajectory learning)
            throws IOException {
        INDArray out = first(learning.outputs());
        if (transientRun != null) {
            out = Nd4j.concat(0, first(transientRun.outputs()), out);
        }
        Npy.write(dir.resolve(INPUTS), first(batch.inputs()));
        Npy.write(dir.resolve(TARGETS), first(batch.targets()));
        Npy.write(dir.resolve(OUTPUTS), out);
        AtomicFiles.write(
                dir.resolve(META),
                Json.canonical(Map.of("sequence", 0, "transientSteps", batch.transientSteps()))
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** The stored trace of a snapshot folder, or {@code null} if it has none. */
    public static Trace read(Path dir, int epoch) throws IOException {
        if (!Files.isRegularFile(dir.resolve(META)) || !Files.isRegularFile(dir.resolve(OUTPUTS))) {
            return null;
        }
        Map<?, ?> meta = Json.MAPPER.readValue(dir.resolve(META).toFile(), Map.class);
        int transientSteps = ((Number) meta.get("transientSteps")).intValue();
        return new Trace(
                epoch,
                Npy.read(dir.resolve(INPUTS)),
                Npy.read(dir.resolve(TARGETS)),
                Npy.read(dir.resolve(OUTPUTS)),
                transientSteps);
    }

    /** File names of the trace, which are not analysis arrays. */
    public static boolean isTraceFile(String fileName) {
        return fileName.startsWith("trace_") || fileName.equals(META);
    }

    private static INDArray first(INDArray a) {
        return a.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all())
                .dup('c');
    }
}
