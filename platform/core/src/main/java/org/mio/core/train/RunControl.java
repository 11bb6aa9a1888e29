package org.mio.core.train;

/** Lets a run be stopped from outside (a plugin went away, an interrupt) between steps. */
public final class RunControl {
    private volatile String abortReason;

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

    /** Thrown inside the trainer to unwind an aborted run. */
    static final class Aborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Aborted(String reason) {
            super(reason, null, false, false);
        }
    }
}
