package dev.tandem.state;

import java.util.Objects;

/** The output of one view and the exit code the command should end with. */
public record Rendered(String text, int exitCode) {

    public static final int OK = 0;
    public static final int ATTENTION = 1;
    public static final int COORDINATOR_DOWN = 2;

    public Rendered {
        Objects.requireNonNull(text, "text");
    }
}
