package dev.tandem.daemon;

import dev.tandem.time.Time;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the FTS daemon running ({@code tandem fts start}): starts {@code tandem fts run} as a child process and
 * starts it again whenever it exits, whatever its status (an FTS that stopped probing is the worst failure this
 * project can have). A daemon that keeps dying is restarted after a growing pause (1 s, doubling, at most 30 s),
 * back to 1 s once one has run for a minute. Every exit is logged with its status and what happens next.
 *
 * <p>With systemd, {@code tandem fts run} is supervised by the unit ({@code Restart=always}) instead.
 *
 * <p>Concurrency: {@link #run()} on one thread; {@link #stop()} from any (a shutdown hook).
 */
public final class FtsSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(FtsSupervisor.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    static final Duration HEALTHY_RUN = Duration.ofMinutes(1);
    static final Duration STOP_WAIT = Duration.ofSeconds(15);
    /** A daemon that says "coordinator moved" sooner than this after its start is paused as a failing one. */
    static final Duration MOVED_MIN_RUN = Duration.ofSeconds(5);

    /** A started daemon process. */
    public interface Child {
        long pid();

        /** Waits for the exit; returns the exit status. */
        int waitFor() throws InterruptedException;

        /** SIGTERM, then SIGKILL after {@code wait}. */
        void stop(Duration wait);
    }

    @FunctionalInterface
    public interface Launcher {
        Child start() throws IOException;
    }

    private final Launcher launcher;
    private final Time time;
    private volatile boolean stopped;
    private volatile Child child;
    private volatile int starts;

    /** @param time the pause between restarts, and how long a daemon ran */
    public FtsSupervisor(Launcher launcher, Time time) {
        this.launcher = Objects.requireNonNull(launcher);
        this.time = Objects.requireNonNull(time);
    }

    /** Daemons started so far (the first one included). */
    public int starts() {
        return starts;
    }

    public void stop() {
        stopped = true;
        Child c = child;
        if (c != null) c.stop(STOP_WAIT);
    }

    /** Runs until {@link #stop()}; returns 0 then (1 when interrupted). */
    public int run() {
        Duration pause = FIRST_PAUSE;
        while (!stopped) {
            long t0 = time.nanoTime();
            String ended;
            int status = -1;
            try {
                Child c = launcher.start();
                child = c;
                starts++;
                if (stopped) c.stop(STOP_WAIT); // stop() ran between the start and the assignment
                LOG.info("FTS daemon started, pid {}", c.pid());
                status = c.waitFor();
                child = null;
                ended = "FTS daemon pid " + c.pid() + " exited with status " + status;
            } catch (IOException e) {
                ended = "FTS daemon could not be started: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                return 1;
            }
            if (stopped) break;
            Duration ran = Duration.ofNanos(time.nanoTime() - t0);
            if (status == FtsDaemon.EXIT_COORDINATOR_MOVED && ran.compareTo(MOVED_MIN_RUN) >= 0) {
                // not a failure: the daemon follows a new coordinator (etcd), and FTS must resume at once
                LOG.info("{} after {} s: the coordinator moved; starting it again now", ended, ran.toSeconds());
                pause = FIRST_PAUSE;
                continue;
            }
            if (ran.compareTo(HEALTHY_RUN) >= 0) pause = FIRST_PAUSE;
            LOG.warn("{} after {} s; starting it again in {} s", ended, ran.toSeconds(), pause.toMillis() / 1000.0);
            try {
                time.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
        LOG.info("FTS supervisor stopped");
        return 0;
    }

    /** A {@link Child} over a real process (the log goes where the supervisor's goes). */
    public static Child of(Process p) {
        return new Child() {
            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public int waitFor() throws InterruptedException {
                return p.waitFor();
            }

            @Override
            public void stop(Duration wait) {
                p.destroy();
                try {
                    if (!p.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) p.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        };
    }
}
