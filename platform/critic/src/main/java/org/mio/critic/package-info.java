/**
 * Critic-based mutual-information estimators for estimator plugins to build on
 * ({@link org.mio.critic.Critics}): MINE's concatenated critic and a separable one
 * ({@link org.mio.critic.CriticParams}), with the row subsets, input noise and per-core lanes MINE
 * uses, under the bounds DV, NWJ, SMILE and InfoNCE ({@link org.mio.critic.Objective}).
 */
@Export
@Version("1.1.0")
package org.mio.critic;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
