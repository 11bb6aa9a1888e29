/**
 * Figures as data: a {@link org.mio.api.figure.Figure} is a grid of plots (lines and points,
 * heat maps, histograms) that tasks, analyzers and the core describe, and a
 * {@link org.mio.api.figure.FigureRenderer} service draws as PNG or SVG. Describing a figure needs
 * no charting library; only the renderer plugin has one.
 */
@Export
@Version("1.1.0")
package org.mio.api.figure;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
