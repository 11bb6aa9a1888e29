package org.mio.core.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one writer of a run folder: an OS file lock on {@code .lock} in the folder, held for the
 * life of the run. A second process (or a second run in this one) that wants to write the folder
 * finds the lock taken and is told who holds it; nothing of the folder is touched. The lock goes
 * with the process, also when it is killed. The file itself stays (deleting it would let two
 * writers lock two different files); it holds the holder's process id for the message.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name in a run folder. */
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another writer holds the folder. */
    public static final class Held extends Exception {
        private static final long serialVersionUID = 1L;

        Held(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Takes the folder's lock, creating the folder if needed.
     *
     * @throws Held naming the folder and the holder's process id if another writer has it
     * @throws IOException if the lock file cannot be created
     */
    public static RunLock acquire(Path dir) throws IOException, Held {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this process already writes it
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new Held(dir + " is in use by another run (process " + holder + ", lock " + file
                    + "); wait for it to end or stop it, then try again");
        }
        byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(pid), 0);
        ch.force(false);
        return new RunLock(ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            String pid = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).trim();
            return pid.matches("\\d+") ? pid : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Whether {@code name} is this lock's file (not part of a run's results). */
    public static boolean isLockFile(Path p) {
        return p.getFileName().toString().equals(FILE);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
