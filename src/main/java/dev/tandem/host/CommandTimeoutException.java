package dev.tandem.host;

/** A command did not finish within its timeout; it was killed. */
public class CommandTimeoutException extends HostException {
    public CommandTimeoutException(Command command) {
        super("on " + command.host() + ": `" + command.display() + "` did not finish within "
                + command.timeout().toMillis() + " ms and was killed");
    }
}
