/**
 * The platform's run service: run an experiment, list installed plugins. Implemented only by the
 * platform core; used by the launcher, the shell and integration tests.
 */
@Export
@Version("1.0.0")
package org.mio.api.run;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
