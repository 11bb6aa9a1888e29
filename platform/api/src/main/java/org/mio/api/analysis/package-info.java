/**
 * Analyses of a network at a snapshot epoch (correlations, modularity, separation indices). An
 * {@link org.mio.api.analysis.Analyzer} service (property {@code mio.analyzer.kind}) is called
 * by the trainer at every snapshot, so each analysis exists as a curve over training.
 */
@Export
@Version("1.2.0")
package org.mio.api.analysis;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
