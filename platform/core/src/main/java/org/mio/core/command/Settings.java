package org.mio.core.command;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The deployment settings of the platform (Configuration Admin PID {@value #PID}), set by the
 * launcher from the distribution it starts, or by any Configuration Admin client in a framework
 * of one's own. What an experiment computes is never here: it is in the experiment file.
 */
@ObjectClassDefinition(
        name = "mio deployment settings",
        description = "Where runs, presets and the plugin data cache live, and how long a run waits for a plugin.")
public @interface Settings {
    /** The configuration PID. */
    String PID = "org.mio.core";

    /** @return default parent folder of run and sweep folders */
    @AttributeDefinition(
            name = "Runs root",
            description = "Default parent folder of new run and sweep folders "
                    + "(relative paths resolve against the working directory).")
    String runs() default "runs";

    /** @return folder of the logs of commands that fail outside a run folder */
    @AttributeDefinition(
            name = "Logs",
            description = "Folder where the stack trace of a command that fails outside a run folder is "
                    + "written (a run writes mio.log in its own folder).")
    String logs() default "logs";

    /** @return folder of experiment presets; empty for none */
    @AttributeDefinition(
            name = "Presets",
            description = "Folder of experiment presets (<name>.json); its "
                    + "sweeps/ subfolder holds the sweep presets. Empty: no presets.")
    String presets() default "";

    /** @return plugin data cache; empty for ~/.cache/mio */
    @AttributeDefinition(
            name = "Cache",
            description = "Folder where plugins may cache generated data (never " + "results). Empty: ~/.cache/mio.")
    String cache() default "";

    /** @return how long a run waits for a plugin kind to appear, in milliseconds */
    @AttributeDefinition(
            name = "Plugin wait (ms)",
            description = "How long a run waits for a plugin kind it "
                    + "names to appear (plugins start asynchronously), in milliseconds.",
            min = "0")
    long pluginWaitMs() default 3000;
}
