package dev.tandem.host;

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
}
