package dev.tandem.state;

import dev.tandem.exit.ExitCode;
import java.util.Objects;

/** The output of one view and the exit code the command should end with. */
public record Rendered(String text, int exitCode) {

    public static final int OK = ExitCode.OK.code();
    public static final int ATTENTION = ExitCode.ATTENTION.code();
    /** The view could not be made: a failure like any other command's. */
    public static final int COORDINATOR_DOWN = ExitCode.FAILED.code();

    public Rendered {
        Objects.requireNonNull(text, "text");
    }
}
