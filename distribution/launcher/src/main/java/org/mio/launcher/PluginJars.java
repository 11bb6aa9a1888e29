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
            String bad = headerProblem(a);
            if (bad != null) {
                // the framework refuses to install it, so FileInstall never would
                problems.put(jar, "its manifest is not a valid bundle manifest (" + bad + ")");
                continue;
            }
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

    /**
     * What the framework's own manifest parser finds wrong with the headers (syntax of
     * Bundle-SymbolicName, Import-Package, Export-Package, …), or {@code null}: the same check
     * Felix makes when the jar is installed.
     */
    static String headerProblem(Attributes main) {
        org.apache.felix.framework.util.StringMap headers = new org.apache.felix.framework.util.StringMap();
        main.forEach((k, v) -> headers.put(k.toString(), v));
        try {
            new org.apache.felix.framework.util.manifestparser.ManifestParser(
                    new org.apache.felix.framework.Logger(), new HashMap<>(), null, headers);
            return null;
        } catch (org.osgi.framework.BundleException | RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            int nl = m.indexOf('\n');
            return nl < 0 ? m : m.substring(0, nl);
        }
    }
}
