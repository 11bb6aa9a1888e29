package org.mio.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's options, the sweep it ships to tasks, and run folders copied through a Hadoop FileSystem. */
class JobTest {
    @TempDir
    Path dir;

    @Test
    void optionsAreParsedAndBadOnesNamed() {
        JobOptions o = JobOptions.parse(List.of("--out", "hdfs://nn/s", "--sync-seconds", "5", "wm-quick-sweep"));
        assertEquals("wm-quick-sweep", o.sweep());
        assertEquals("mio", o.mio());
        assertEquals(5, o.syncSeconds());
        assertTrue(o.outIsUri());
        assertFalse(JobOptions.parse(List.of("--out", "/shared/s", "s.json")).outIsUri());
        assertTrue(
                JobOptions.parse(List.of("--out", "file:///shared/s", "s.json")).outIsUri());
        assertEquals(
                "--sync-seconds must be a whole number ≥ 1, found 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> JobOptions.parse(List.of("--out", "o", "--sync-seconds", "0", "s")))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobOptions.parse(List.of("s.json")))
                .getMessage()
                .startsWith("--out is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mio.home(dir.toString()))
                .getMessage()
                .contains("no executable bin/mio there"));
    }

    @Test
    void aSweepFileTravelsWithTheExperimentFileBesideIt() throws Exception {
        Files.writeString(dir.resolve("s.json"), "{\"name\": \"s\", \"experiment\": \"exp.json\", \"seeds\": [1]}");
        Files.writeString(dir.resolve("exp.json"), "{\"name\": \"exp\"}");
        SweepFiles f = SweepFiles.read(dir.resolve("s.json").toString());
        Path there = dir.resolve("task");
        String target = f.materialize(there);
        assertEquals(there.resolve("s.json").toString(), target);
        assertEquals("{\"name\": \"exp\"}", Files.readString(there.resolve("exp.json")));
        assertEquals("wm-quick-sweep", SweepFiles.read("wm-quick-sweep").materialize(there));
    }

    @Test
    void aFolderGoesUpWholeAndComesBack() throws Exception {
        Path local = dir.resolve("local/lambda-1");
        Files.createDirectories(local.resolve("checkpoint"));
        Files.writeString(local.resolve("checkpoint/state.json"), "{\"epoch\": 3}");
        Files.writeString(local.resolve("provenance.json"), "{\"status\": \"RUNNING\"}");
        Configuration conf = new Configuration();
        String uri = dir.resolve("shared").toUri().toString();
        FileSystem fs = Folders.fileSystem(uri, conf);
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(uri, "lambda-1");
        assertEquals("", Folders.status(fs, remote));
        Folders.upload(local, fs, remote, conf);
        assertEquals("RUNNING", Folders.status(fs, remote));
        // a second copy replaces the first
        Files.writeString(local.resolve("provenance.json"), "{\"status\": \"COMPLETED\"}");
        Folders.upload(local, fs, remote, conf);
        assertEquals("COMPLETED", Folders.status(fs, remote));
        assertFalse(Files.exists(dir.resolve("shared/lambda-1.part")));
        try (var s = Files.walk(dir.resolve("shared"))) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".crc")), "no checksum side files");
        }
        Path back = dir.resolve("back/lambda-1");
        Files.createDirectories(back.getParent());
        assertTrue(Folders.download(fs, remote, back, conf));
        assertArrayEquals(
                Files.readAllBytes(local.resolve("checkpoint/state.json")),
                Files.readAllBytes(back.resolve("checkpoint/state.json")));
        // an upload cut between its delete and its rename leaves only the .part copy: that one comes back
        fs.rename(remote, new org.apache.hadoop.fs.Path(uri, "lambda-1.part"));
        Path again = dir.resolve("again/lambda-1");
        Files.createDirectories(again.getParent());
        assertTrue(Folders.download(fs, remote, again, conf));
        assertTrue(Files.exists(again.resolve("checkpoint/state.json")));
        assertFalse(Folders.download(fs, new org.apache.hadoop.fs.Path(uri, "none"), dir.resolve("x"), conf));
    }
}
