package org.mio.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/** Creates embedded Felix frameworks with mio's settings. */
final class Frameworks {
    private Frameworks() {}

    /** Jars in a folder, sorted by name (an absent folder has none). */
    static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * A new, initialized (not started) framework with its own fresh storage folder.
     *
     * @param lib the class-path jars whose packages the system bundle exports
     * @param extra further framework properties
     */
    static Framework create(List<Path> lib, Map<String, String> extra) throws IOException, BundleException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeStale(tmp);
        Path storage = Files.createTempDirectory(tmp, STORAGE_PREFIX);
        Files.writeString(
                storage.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_BOOTDELEGATION, "sun.*,com.sun.*");
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extra(lib));
        config.put("felix.log.level", "1");
        config.putAll(extra);
        Framework fw = new FrameworkFactory().newFramework(config);
        fw.init(); // cleans the storage folder, so the owner is written after it
        Files.writeString(
                storage.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
        STORAGE.put(fw, storage);
        return fw;
    }

    /**
     * Stops a framework, waits for it (so that running experiments can record how they ended),
     * then deletes its storage folder. Safe to call twice and from a shutdown hook.
     */
    static void stopAndClean(Framework fw) {
        try {
            if (fw.getState() == org.osgi.framework.Bundle.ACTIVE
                    || fw.getState() == org.osgi.framework.Bundle.STARTING) {
                fw.stop();
            }
            fw.waitForStop(180_000);
        } catch (Exception e) {
            // the JVM is exiting anyway
        }
        Object dir = STORAGE.remove(fw);
        if (dir instanceof Path p) {
            deleteQuietly(p);
        }
    }

    private static final java.util.Map<Framework, Path> STORAGE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Storage folders are {@code java.io.tmpdir/mio-felix-*}, each with the owner's process id. */
    static final String STORAGE_PREFIX = "mio-felix-";

    static final String OWNER = "mio-owner.pid";

    /**
     * Deletes the framework storage that killed processes left behind (a clean stop deletes its
     * own): a folder whose owner process no longer runs; one without an owner file (written by an
     * older launcher) or with one not yet written (a process starting beside this one) once it is a
     * day old. A running owner's storage is never touched.
     */
    static void removeStale(Path tmp) {
        try (var dirs = Files.newDirectoryStream(tmp, STORAGE_PREFIX + "*")) {
            for (Path d : dirs) {
                Path owner = d.resolve(OWNER);
                // an owner file being written by a process that is starting reads empty: like a missing
                // one, it makes the folder stale only once it is a day old
                String pid =
                        Files.isRegularFile(owner) ? Files.readString(owner).trim() : "";
                boolean stale = pid.matches("\\d+")
                        ? ProcessHandle.of(Long.parseLong(pid))
                                .map(p -> !p.isAlive())
                                .orElse(true)
                        : Files.getLastModifiedTime(d).toMillis() < System.currentTimeMillis() - 86_400_000L;
                if (stale) {
                    deleteQuietly(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            // cleaning up is a courtesy; never stop a start for it
        }
    }

    /** Installs every jar, then starts every non-fragment bundle. */
    static List<Bundle> installAndStart(Framework fw, List<Path> jars) throws BundleException {
        List<Bundle> installed = new ArrayList<>();
        for (Path j : jars) {
            installed.add(fw.getBundleContext().installBundle(j.toUri().toString()));
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        return installed;
    }

    static void deleteQuietly(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
