package org.mio.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What the launcher checks of the jars in {@code plugins/} before it waits for FileInstall to
 * start them: a jar that is not a readable OSGi bundle, or a second copy of a bundle already
 * there, will never start, so the launcher names it once and does not wait for it.
 */
final class PluginJars {
    private PluginJars() {}

    /**
     * A jar that is a bundle.
     *
     * @param jar the file
     * @param symbolicName its Bundle-SymbolicName (without directives)
     * @param version its Bundle-Version
     */
    record Jar(Path jar, String symbolicName, org.osgi.framework.Version version) {}

    /**
     * The checked jars.
     *
     * @param bundles the bundles to wait for, one per symbolic name and version
     * @param problems jar → why it will not start, in folder order
     */
    record Checked(List<Jar> bundles, Map<Path, String> problems) {}

    static Checked check(List<Path> jars) {
        List<Jar> ok = new ArrayList<>();
        Map<Path, String> problems = new LinkedHashMap<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path jar : jars) {
            Manifest mf;
            try (JarFile jf = new JarFile(jar.toFile())) {
                mf = jf.getManifest();
            } catch (IOException | SecurityException e) {
                problems.put(jar, "not a readable jar (" + e.getMessage() + ")");
                continue;
            }
            String bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                problems.put(jar, "not an OSGi bundle (its manifest has no Bundle-SymbolicName)");
                continue;
            }
            Attributes a = mf.getMainAttributes();
            String name = bsn.split(";")[0].trim();
            org.osgi.framework.Version version;
            try {
                version = org.osgi.framework.Version.parseVersion(a.getValue("Bundle-Version"));
            } catch (IllegalArgumentException e) {
                problems.put(
                        jar,
                        "not an OSGi bundle (Bundle-Version " + a.getValue("Bundle-Version") + ": " + e.getMessage()
                                + ")");
                continue;
            }
            Path first = seen.putIfAbsent(name + " " + version, jar);
            if (first != null) {
                problems.put(
                        jar,
                        "a second copy of " + name + " " + version + " (the first is " + first.getFileName()
                                + "); remove one");
                continue;
            }
            ok.add(new Jar(jar, name, version));
        }
        return new Checked(ok, problems);
    }
}
