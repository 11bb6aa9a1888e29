/**
 * Mutual-information estimators. An {@link org.mio.api.estimator.MIEstimator} service (property
 * {@code mio.estimator.kind}) creates the {@link org.mio.api.estimator.Estimator} of one run,
 * which owns its trainable parameters (e.g. MINE's statistics network) and their optimizer.
 */
@Export
@Version("1.3.0")
package org.mio.api.estimator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
