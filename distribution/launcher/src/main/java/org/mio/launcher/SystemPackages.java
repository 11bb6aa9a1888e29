package org.mio.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The packages of the class-path jars (ND4J, JavaCPP, OpenBLAS, SLF4J, …) that the system bundle
 * exports, so that bundles import them normally while their natives load once in the
 * application class loader (STACK.md §3B). A package gets the version its jar exports it with
 * (from an OSGi {@code Export-Package} header), else none.
 */
public final class SystemPackages {
    private SystemPackages() {}

    /** The value of {@code org.osgi.framework.system.packages.extra} for these jars. */
    public static String extra(List<Path> jars) throws IOException {
        List<String> clauses = new ArrayList<>();
        packages(jars).forEach((pkg, version) -> clauses.add(version.isEmpty() ? pkg : pkg + ";version=" + version));
        return String.join(",", clauses);
    }

    /** Package name → version ("" if unversioned), sorted. */
    public static Map<String, String> packages(List<Path> jars) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                Map<String, String> versions = exportVersions(jf);
                Enumeration<JarEntry> en = jf.entries();
                while (en.hasMoreElements()) {
                    String name = en.nextElement().getName();
                    if (!name.endsWith(".class") || name.startsWith("META-INF/")) {
                        continue;
                    }
                    int slash = name.lastIndexOf('/');
                    if (slash <= 0) {
                        continue;
                    }
                    String pkg = name.substring(0, slash).replace('/', '.');
                    if (pkg.startsWith("java.") || pkg.startsWith("org.osgi.") || pkg.startsWith("org.apache.felix.")) {
                        continue;
                    }
                    String v = versions.getOrDefault(pkg, "");
                    out.merge(pkg, v, (a, b) -> a.isEmpty() ? b : a);
                }
            }
        }
        return out;
    }

    private static Map<String, String> exportVersions(JarFile jf) throws IOException {
        Map<String, String> versions = new TreeMap<>();
        var mf = jf.getManifest();
        if (mf == null) {
            return versions;
        }
        String header = mf.getMainAttributes().getValue(new Attributes.Name("Export-Package"));
        if (header == null) {
            return versions;
        }
        for (String clause : split(header, ',')) {
            List<String> parts = split(clause, ';');
            List<String> names = new ArrayList<>();
            String version = "";
            for (String p : parts) {
                String t = p.trim();
                if (t.startsWith("version=")) {
                    version = t.substring("version=".length()).replace("\"", "").trim();
                } else if (!t.contains("=")) {
                    names.add(t);
                }
            }
            for (String n : names) {
                versions.put(n, version);
            }
        }
        return versions;
    }

    /** Splits on {@code sep} outside double quotes. */
    static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == sep && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }
}
