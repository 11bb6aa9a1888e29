package org.mio.spark;

import java.io.Serializable;
import java.net.URI;
import java.util.List;

/**
 * The job's command line: {@code [--mio HOME] --out FOLDER|URI [--sync-seconds N]
 * [--lock-wait-seconds N] <sweep.json | preset>}.
 *
 * @param sweep a sweep file (read on the driver and shipped to the tasks) or a preset name
 * @param out where the trials' run folders and the summary go: a path that every machine mounts
 *     (written directly), or a Hadoop FileSystem URI such as {@code hdfs://nn/sweeps/s} or
 *     {@code file:///shared/s} (trial folders copied there through the FileSystem API)
 * @param mio the mio distribution on every machine (default {@code mio}: the working folder's,
 *     where {@code --archives mio.tgz#mio} unpacks it)
 * @param syncSeconds how often a running trial's folder is copied to a URI {@code out} (default 60)
 * @param lockWaitSeconds how long a task waits for a trial folder that another process still
 *     writes (a lost executor's trial finishing its epoch) before it fails (default 600)
 */
record JobOptions(String sweep, String out, String mio, int syncSeconds, int lockWaitSeconds) implements Serializable {

    static final String USAGE = "usage: spark-submit … mio-spark.jar [--mio HOME] --out FOLDER|URI"
            + " [--sync-seconds N] [--lock-wait-seconds N] <sweep.json | preset>";

    /** Parses the arguments; a bad one fails with a one-line message naming it. */
    static JobOptions parse(List<String> args) {
        String sweep = null;
        String out = null;
        String mio = "mio";
        int sync = 60;
        int lockWait = 600;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--out" -> out = value(args, ++i, a);
                case "--mio" -> mio = value(args, ++i, a);
                case "--sync-seconds" -> sync = positive(args, ++i, a);
                case "--lock-wait-seconds" -> lockWait = positive(args, ++i, a);
                default -> {
                    if (a.startsWith("-") || sweep != null) {
                        throw new IllegalArgumentException("unexpected argument " + a + "; " + USAGE);
                    }
                    sweep = a;
                }
            }
        }
        if (sweep == null) {
            throw new IllegalArgumentException(
                    "which sweep? a sweep file or a preset such as wm-quick-sweep; " + USAGE);
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required: a folder every machine mounts, or a Hadoop"
                    + " FileSystem URI such as hdfs://namenode/sweeps/" + sweep.replaceAll(".*/|\\.json$", ""));
        }
        return new JobOptions(sweep, out, mio, sync, lockWait);
    }

    /** Whether {@code out} is a URI written through the Hadoop FileSystem API (it has a scheme). */
    boolean outIsUri() {
        try {
            URI u = new URI(out);
            return u.getScheme() != null && u.getScheme().length() > 1; // not a Windows drive letter
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value; " + USAGE);
        }
        return args.get(i);
    }

    private static int positive(List<String> args, int i, String option) {
        String v = value(args, i, option);
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number ≥ 1, found " + v);
    }
}
