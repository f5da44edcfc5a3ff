package dev.tandem.drill;

/**
 * The FTS the drill runs against: the real background daemon (killed with {@code kill -9}), or an in-process
 * service for tests that inject a broken decision function.
 */
interface FtsHandle {

    void start();

    /** Dies without any chance to clean up (for the daemon: SIGKILL). */
    void kill();

    boolean running();

    /** Stops it for good at the end of the drill. */
    void stop();

    String describe();
}
