package org.mio.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a sequence's initial state is drawn (METHOD.md §1, "Initial state x_0"). */
public enum InitialState {
    /** All zeros. */
    ZEROS("zeros"),
    /** i.i.d. N(0, 1) per unit and sequence. */
    NORMAL("normal");

    private final String json;

    InitialState(String json) {
        this.json = json;
    }

    /** The JSON spelling. */
    @JsonValue
    public String json() {
        return json;
    }
}
