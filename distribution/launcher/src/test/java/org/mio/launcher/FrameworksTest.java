package org.mio.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Framework storage that a killed process left behind is removed at the next start; a live one is not. */
class FrameworksTest {
    @TempDir
    Path tmp;

    private Path storage(String name, String owner) throws Exception {
        Path d = tmp.resolve(Frameworks.STORAGE_PREFIX + name);
        Files.createDirectories(d.resolve("bundle1"));
        Files.writeString(d.resolve("bundle1/bundle.info"), "x");
        if (owner != null) {
            Files.writeString(d.resolve(Frameworks.OWNER), owner);
        }
        return d;
    }

    @Test
    void staleStorageIsRemovedAndLiveStorageKept() throws Exception {
        // a process id that is not running: the highest a short-lived child had, after it ended
        Process child = new ProcessBuilder("true").start();
        child.waitFor();
        Path dead = storage("dead", Long.toString(child.pid()));
        Path live = storage("live", Long.toString(ProcessHandle.current().pid()));
        Path legacyOld = storage("legacy-old", null);
        Files.setLastModifiedTime(legacyOld, FileTime.fromMillis(System.currentTimeMillis() - 2 * 86_400_000L));
        Path legacyNew = storage("legacy-new", null);
        Path starting = storage("starting", ""); // its owner is being written by a process starting now
        Path other = Files.createDirectories(tmp.resolve("someone-else"));

        Frameworks.removeStale(tmp);

        assertFalse(Files.exists(dead), "the storage of a process that no longer runs");
        assertTrue(Files.exists(live.resolve("bundle1/bundle.info")), "the storage of a running process");
        assertFalse(Files.exists(legacyOld), "an owner-less storage older than a day");
        assertTrue(Files.exists(legacyNew), "an owner-less storage of today may still be in use");
        assertTrue(Files.exists(starting), "the storage of a process that has not written its id yet");
        assertTrue(Files.exists(other), "nothing but mio's storage");
    }
}
