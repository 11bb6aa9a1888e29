/**
 * Component property types for plugin authors: {@code @TaskKind("working-memory")} on a
 * Declarative Services component publishes the service property {@code mio.task.kind}, and
 * likewise {@code @ModelKind}, {@code @EstimatorKind}, {@code @AnalyzerKind} and
 * {@code @RendererKind}.
 */
@Export
@Version("1.1.0")
package org.mio.api.annotations;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
