package dev.tandem.host;

import java.time.Duration;

/** What a finished command returned. */
public record CommandResult(Command command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Throws {@link CommandFailedException} carrying the tool's own output unless the exit code is 0. */
    public CommandResult orThrow() {
        if (!ok()) throw new CommandFailedException(this);
        return this;
    }
}
