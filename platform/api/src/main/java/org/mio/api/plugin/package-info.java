/**
 * What the platform hands to every plugin: its parameters ({@link org.mio.api.plugin.PluginParams}),
 * its environment ({@link org.mio.api.plugin.PluginContext}) and seeded random streams
 * ({@link org.mio.api.plugin.Rng}). Plugins use these types; only the platform implements the
 * interfaces here.
 */
@Export
@Version("1.2.0")
package org.mio.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
