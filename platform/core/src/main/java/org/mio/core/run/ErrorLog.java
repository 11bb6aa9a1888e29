package org.mio.core.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where stack traces go: never to the console (unless the user asks with {@code --debug}) but to
 * a log file, {@code mio.log} in the run folder, or a file of the distribution's log folder when
 * there is no run. Entries are appended with their time and what was being done, so a resumed
 * run keeps the traces of its earlier failures.
 */
public final class ErrorLog {
    /** The log file of a run folder. */
    public static final String RUN_LOG = "mio.log";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private ErrorLog() {}

    /**
     * Appends {@code t}'s stack trace to {@code file}.
     *
     * @param doing what failed, e.g. {@code mio run wm-quick}
     * @return the file, or {@code null} if it could not be written (the trace is then lost, the
     *     one-line message is not)
     */
    public static Path append(Path file, String doing, Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        String entry = "== " + OffsetDateTime.now(ZoneOffset.UTC) + "  " + doing + System.lineSeparator() + trace;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(
                    file, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return file;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A new file in {@code folder} for a failure outside any run, e.g. {@code logs/mio-20261129-153001-123.log}. */
    public static Path fileIn(Path folder) {
        return folder.resolve("mio-" + OffsetDateTime.now(ZoneOffset.UTC).format(STAMP) + ".log");
    }

    /** "see FILE" or, when the file could not be written, why the trace is missing. */
    public static String where(Path written) {
        return written != null ? "stack trace in " + written : "the stack trace could not be written";
    }

    /** The size of {@code file} now, 0 if it does not exist: where the entries of a command start. */
    public static long mark(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** What was appended to {@code file} after {@code mark}, empty if nothing. */
    public static String since(Path file, long mark) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) <= mark) {
                return "";
            }
            byte[] all = Files.readAllBytes(file);
            return new String(
                    all,
                    (int) Math.min(mark, all.length),
                    (int) (all.length - Math.min(mark, all.length)),
                    StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
