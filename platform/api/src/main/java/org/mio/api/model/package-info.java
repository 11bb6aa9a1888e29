/**
 * Recurrent models with exact backpropagation through time. A
 * {@link org.mio.api.model.RecurrentModel} service (property {@code mio.model.kind}) creates the
 * {@link org.mio.api.model.Network} of one run, which owns that run's weights.
 */
@Export
@Version("1.3.0")
package org.mio.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
