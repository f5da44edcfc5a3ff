package dev.tandem.state;

import java.util.List;

/** What the command line needs to know about the views beyond rendering them. */
public final class StateViews {

    private StateViews() {
    }

    /** The pipe-separated form's columns, {@code name type}, for a table that loads it. */
    public static List<String> pipeColumns() {
        return PipeView.COLUMNS;
    }
}
