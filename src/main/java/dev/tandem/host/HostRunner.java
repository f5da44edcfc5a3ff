package dev.tandem.host;

import java.util.function.Consumer;

/**
 * The one seam through which Tandem touches hosts. Implementations: {@link LocalHostRunner} (processes on this
 * machine; distinct loopback addresses stand for distinct hosts), later an ssh runner.
 *
 * <p>{@link #run} never throws for a non-zero exit: it returns the result; call {@link CommandResult#orThrow()}
 * when non-zero is a failure. It throws {@link CommandTimeoutException} when the timeout passes (the process is
 * killed) and {@link HostException} when the command cannot be started at all.
 */
public interface HostRunner {

    CommandResult run(Command command);

    /** Whether this runner can reach {@code host} (for the local runner: the address is local). */
    boolean reaches(String host);

    /**
     * Like {@link #run}, and also hands every line the command writes (stdout or stderr, split at {@code \n} or
     * {@code \r}: progress meters redraw their line with {@code \r}) to {@code lines} as it comes, on a reader
     * thread: {@code lines} must be thread-safe and quick. This default delivers the lines only at the end; runners
     * that can stream override it.
     */
    default CommandResult runStreaming(Command command, Consumer<String> lines) {
        CommandResult r = run(command);
        (r.stderr() + r.stdout()).lines().forEach(lines);
        return r;
    }
}
