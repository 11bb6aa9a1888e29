package org.mio.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * Run folders on a Hadoop FileSystem ({@code hdfs://}, {@code file://}, an object store): a task
 * runs its trial in a local folder and copies it there, whole, after its end and every few
 * seconds while it runs, so that a retried task finds the last checkpoint. A copy replaces the
 * previous one by renaming ({@code <trial>.part} → {@code <trial>}), so a reader sees a whole copy
 * or the one before; within a copy taken while mio wrote a checkpoint, mio's own checksums find a
 * torn checkpoint on resume and fall back to the previous one.
 */
final class Folders {
    private Folders() {}

    /** The FileSystem of a URI, without the .crc side files a checksummed one (file://) would add to run folders. */
    static FileSystem fileSystem(String uri, Configuration conf) throws IOException {
        FileSystem fs = new Path(uri).getFileSystem(conf);
        fs.setWriteChecksum(false);
        fs.setVerifyChecksum(false);
        return fs;
    }

    /**
     * Copies {@code remote} (or, after an interrupted replacement, {@code remote.part}) into the
     * local folder {@code local}, which must not exist; false if neither is there.
     */
    static boolean download(FileSystem fs, Path remote, java.nio.file.Path local, Configuration conf)
            throws IOException {
        Path from = fs.exists(remote) ? remote : part(remote);
        if (!fs.exists(from)) {
            return false;
        }
        FileSystem localFs = FileSystem.getLocal(conf).getRaw(); // no .crc side files
        if (!FileUtil.copy(fs, from, localFs, new Path(local.toAbsolutePath().toUri()), false, true, conf)) {
            throw new IOException("could not copy " + from + " to " + local);
        }
        return true;
    }

    /** Replaces {@code remote} with a copy of the local folder {@code local}. */
    static void upload(java.nio.file.Path local, FileSystem fs, Path remote, Configuration conf) throws IOException {
        FileSystem localFs = FileSystem.getLocal(conf).getRaw(); // no .crc side files
        Path part = part(remote);
        fs.delete(part, true);
        if (!FileUtil.copy(localFs, new Path(local.toAbsolutePath().toUri()), fs, part, false, true, conf)) {
            throw new IOException("could not copy " + local + " to " + part);
        }
        fs.delete(remote, true);
        if (!fs.rename(part, remote)) {
            throw new IOException("could not rename " + part + " to " + remote);
        }
    }

    /** The status in a run folder's provenance.json ({@code COMPLETED}, …), or "" without one. */
    static String status(FileSystem fs, Path runFolder) {
        Path prov = new Path(runFolder, "provenance.json");
        try {
            if (!fs.exists(prov)) {
                return "";
            }
            try (InputStream in = fs.open(prov)) {
                return new ObjectMapper().readTree(in).path("status").asText("");
            }
        } catch (IOException e) {
            return "";
        }
    }

    private static Path part(Path remote) {
        return new Path(remote.getParent(), remote.getName() + ".part");
    }
}
