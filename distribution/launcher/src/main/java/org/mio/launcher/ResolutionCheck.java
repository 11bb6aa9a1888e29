package org.mio.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Checks that a set of bundles works together before it is shipped: the real Felix resolver
 * wires every package and extender requirement against the set plus the system bundle (with the
 * class-path packages exported), and every mandatory service requirement (bnd's
 * {@code osgi.service} requirements of DS references) must be provided by some bundle of the set.
 * Nothing is started.
 */
public final class ResolutionCheck {
    private ResolutionCheck() {}

    /** Problems found, one line each; empty if the set resolves. */
    public static List<String> check(List<Path> lib, List<Path> bundles) throws Exception {
        // no JVM-wide URL handlers: the check must not disturb other frameworks in this JVM (tests, the launcher)
        Framework fw = Frameworks.create(lib, Map.of("felix.service.urlhandlers", "false"));
        List<String> problems = new ArrayList<>();
        try {
            fw.start(); // start level 1, so that a failed start of an unresolved bundle reports why

            List<Bundle> installed = new ArrayList<>();
            for (Path j : bundles) {
                try {
                    installed.add(fw.getBundleContext().installBundle(j.toUri().toString()));
                } catch (BundleException e) {
                    problems.add(j.getFileName() + ": cannot be installed: " + e.getMessage());
                }
            }
            fw.adapt(FrameworkWiring.class).resolveBundles(installed);
            List<BundleCapability> services = new ArrayList<>();
            for (Bundle b : installed) {
                BundleRevision rev = b.adapt(BundleRevision.class);
                services.addAll(rev.getDeclaredCapabilities("osgi.service"));
            }
            for (Bundle b : installed) {
                if (b.getState() == Bundle.INSTALLED) {
                    problems.add(b.getSymbolicName() + " " + b.getVersion() + " does not resolve: " + reason(b));
                    continue;
                }
                for (BundleRequirement req : b.adapt(BundleRevision.class).getDeclaredRequirements("osgi.service")) {
                    Map<String, String> d = req.getDirectives();
                    if ("optional".equals(d.get(Constants.RESOLUTION_DIRECTIVE))
                            || "multiple".equals(d.get("cardinality"))) {
                        continue;
                    }
                    String filter = d.get(Constants.FILTER_DIRECTIVE);
                    if (filter != null && !provided(filter, services)) {
                        problems.add(b.getSymbolicName() + " " + b.getVersion() + " needs a service " + filter
                                + " that no bundle of the distribution provides");
                    }
                }
            }
        } finally {
            Frameworks.stopAndClean(fw);
        }
        return problems;
    }

    private static boolean provided(String filter, List<BundleCapability> services) throws InvalidSyntaxException {
        Filter f = FrameworkUtil.createFilter(filter);
        for (BundleCapability c : services) {
            if (f.matches(c.getAttributes())) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Bundle b) {
        if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return "fragment host " + b.getHeaders().get(Constants.FRAGMENT_HOST) + " missing or incompatible";
        }
        try {
            b.start(Bundle.START_TRANSIENT);
            b.stop();
            return "unknown";
        } catch (BundleException e) {
            return e.getMessage().replace('\n', ' ');
        }
    }
}
