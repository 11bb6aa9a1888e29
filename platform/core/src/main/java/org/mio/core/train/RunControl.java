package org.mio.core.train;

/**
 * Lets a run be stopped from outside: at once, between steps (a plugin it uses went away), or
 * gracefully after the current epoch with a checkpoint (the platform is stopping, e.g. Ctrl-C).
 */
public final class RunControl {
    private volatile String abortReason;
    private volatile String stopReason;

    /** Asks the run to finish its current epoch, write a checkpoint and stop. */
    public void stopAfterEpoch(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** The reason given to {@link #stopAfterEpoch}, or {@code null}. */
    public String stopReason() {
        return stopReason;
    }

    /** Asks the run to stop at the next step boundary. */
    public void abort(String reason) {
        if (abortReason == null) {
            abortReason = reason;
        }
    }

    /** The reason given to {@link #abort}, or {@code null}. */
    public String abortReason() {
        return abortReason;
    }

    /** Throws if the run was asked to stop. */
    void check() {
        String r = abortReason;
        if (r != null) {
            throw new Aborted(r);
        }
    }

    /** Thrown inside the trainer to unwind a stopped run; the message says why. */
    public static final class Aborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Aborted(String reason) {
            super(reason, null, false, false);
        }
    }
}
