package dev.tandem.host;

/**
 * A command exited non-zero. The message carries the tool's own stderr (and stdout when stderr is empty), so
 * the operator sees {@code pg_rewind}'s words, not "see the log".
 */
public class CommandFailedException extends HostException {
    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super(describe(result));
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }

    public int exitCode() {
        return result.exitCode();
    }

    private static String describe(CommandResult r) {
        String out = r.stderr().isBlank() ? r.stdout() : r.stderr();
        out = out.strip();
        if (out.length() > 4000) out = "..." + out.substring(out.length() - 4000);
        return "on " + r.command().host() + ": `" + r.command().display() + "` exited with code " + r.exitCode()
                + (out.isEmpty() ? "" : ":\n" + out);
    }
}
