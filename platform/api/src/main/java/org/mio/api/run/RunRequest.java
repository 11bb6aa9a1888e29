package org.mio.api.run;

import java.nio.file.Path;
import java.util.List;

/**
 * What to run.
 *
 * @param experiment an experiment JSON file, or the name of a preset shipped with the
 *     distribution (e.g. {@code wm-quick}); for a resume, the run folder
 * @param overrides {@code path=value} settings applied on top of the file, e.g.
 *     {@code training.epochs=10}
 * @param outDir the run folder to create; {@code null} for {@code runs/<name>-<time>}
 * @param resume whether {@code experiment} is a run folder to continue from its checkpoint
 */
public record RunRequest(String experiment, List<String> overrides, Path outDir, boolean resume) {

    /** Copies the overrides. */
    public RunRequest {
        overrides = List.copyOf(overrides);
    }
}
