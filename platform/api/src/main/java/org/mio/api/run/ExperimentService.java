package org.mio.api.run;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Runs experiments and lists plugins. Registered by the platform core; thread-safe. */
@ProviderType
public interface ExperimentService {

    /**
     * Runs (or resumes) one experiment to its end in the calling thread. Never throws for a bad
     * config, a missing plugin or a failing run: the outcome says what happened.
     */
    RunOutcome run(RunRequest request);

    /** The plugins currently installed, sorted by type then kind. */
    List<PluginInfo> plugins();
}
