/**
 * Tasks: generators of input/target sequences and their scores. A {@link org.mio.api.task.Task}
 * service is a factory registered with the {@code mio.task.kind} property; the
 * {@link org.mio.api.task.TaskInstance} it creates holds everything of one run.
 */
@Export
@Version("1.3.0")
package org.mio.api.task;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
