package org.mio.api.run;

/**
 * One installed plugin service.
 *
 * @param type {@code task}, {@code model}, {@code estimator} or {@code analyzer}
 * @param kind the kind experiments name it by
 * @param bundle symbolic name of the bundle that registered it
 * @param version that bundle's version
 */
public record PluginInfo(String type, String kind, String bundle, String version) {}
