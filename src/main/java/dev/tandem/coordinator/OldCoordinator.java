package dev.tandem.coordinator;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.FtsDaemonOnHost;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The coordinator being replaced: is it alive (does it answer at all), and fencing it (pg_ctl stop -m immediate
 * through the host runner where the host can be reached, and its FTS daemon stopped on its host).
 */
final class OldCoordinator {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** {@code answers}: it accepted a connection or answered with an error (starting up, auth): it is alive. */
    record Liveness(boolean answers, String detail) {
    }

    private OldCoordinator() {
    }

    static Liveness probe(Cluster cluster, Segment old) {
        try (Connection c = cluster.connector().open(old.address(), old.port(), PROBE_TIMEOUT)) {
            return new Liveness(true, "accepts connections");
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            // class 08 = no server (refused, timed out): anything else came from a live postmaster
            if (state.startsWith("08") || state.isEmpty()) return new Liveness(false, "no answer: " + e.getMessage());
            return new Liveness(true, "answers with SQLSTATE " + state + ": " + e.getMessage());
        }
    }

    /** Stops the old coordinator (immediate) and its FTS daemon where they can be reached; says what it did. */
    static void fence(Cluster cluster, Segment old, Consumer<String> out) {
        if (!cluster.runner().reaches(old.address())) {
            out.accept("cannot reach host " + old.address() + " to stop the old coordinator at " + old.datadir()
                    + ": make sure it stays down (it must never be started again as a coordinator)");
        } else {
            Path dir = Path.of(old.datadir());
            cluster.tools().stop(old.address(), dir, "immediate");
            boolean still = cluster.tools().isRunning(old.address(), dir);
            out.accept(still ? "the old coordinator at " + old.location() + " is STILL running: stop it by hand"
                    : "old coordinator " + old.location() + " fenced (stopped, immediate)");
        }
        stopFts(cluster, old, out);
    }

    /**
     * An old daemon would act again the moment the old coordinator came back: stop it on the old coordinator's host
     * (ssh as root for another host, locally for this one), or say how to stop it by hand.
     */
    static void stopFts(Cluster cluster, Segment old, Consumer<String> out) {
        out.accept(FtsDaemonOnHost.stop(cluster.runner(), old.address(), Path.of(old.datadir())).message());
    }
}
