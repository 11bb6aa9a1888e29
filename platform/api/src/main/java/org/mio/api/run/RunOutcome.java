package org.mio.api.run;

import java.nio.file.Path;

/**
 * How a run ended.
 *
 * @param status the kind of ending
 * @param message one line for the user
 * @param runDir the run folder, or {@code null} if none was created
 */
public record RunOutcome(Status status, String message, Path runDir) {

    /** Kinds of ending, with the process exit code the launcher uses. */
    public enum Status {
        /** All epochs done. */
        COMPLETED(0),
        /** The run stopped with an error (e.g. NaN, divergence, disk full); resumable. */
        FAILED(1),
        /** The experiment was rejected before it started (bad config). */
        INVALID(2),
        /** A plugin the experiment needs is not installed (a bad experiment, as far as the run goes). */
        MISSING_PLUGIN(2),
        /** A plugin went away or the run was interrupted; resumable. */
        ABORTED(4);

        private final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The process exit status for this ending. */
        public int exitCode() {
            return exitCode;
        }
    }
}
