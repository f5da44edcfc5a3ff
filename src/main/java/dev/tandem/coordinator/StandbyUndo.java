package dev.tandem.coordinator;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.host.Command;
import dev.tandem.time.Time;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a failed {@code initstandby} takes back, in reverse: synchronous replication off, the standby stopped, the
 * slot dropped, the data directory removed (or emptied, when it existed empty before). Single-threaded.
 */
final class StandbyUndo {

    private final Cluster cluster;
    private final Segment standby;
    private Path createdTop;
    private boolean existedEmpty;
    private boolean started;
    private boolean slot;
    private boolean syncRep;

    private final Time time;

    StandbyUndo(Cluster cluster, Segment standby, Time time) {
        this.time = time;
        this.cluster = cluster;
        this.standby = standby;
    }

    /**
     * Creates the data directory's missing parents (owned by the OS user), remembering the topmost one; pg_basebackup
     * creates the directory itself with the mode PostgreSQL requires, or an existing empty one is set to it.
     */
    void willFill() {
        Path dir = Path.of(standby.datadir());
        String host = standby.address();
        if (cluster.files().exists(host, dir)) {
            existedEmpty = true;
            cluster.files().mkdirs(host, dir); // hands it to the OS user
            cluster.runner().run(Command.of(host, Duration.ofSeconds(30), List.of("chmod", "700", dir.toString())))
                    .orThrow();
            return;
        }
        Path parent = dir.getParent();
        Path existing = cluster.files().nearestExisting(host, parent);
        if (existing.equals(parent)) {
            createdTop = dir;
            return;
        }
        createdTop = existing.resolve(parent.getName(existing.getNameCount()));
        for (Path p = createdTop; ; p = p.resolve(parent.getName(p.getNameCount()))) {
            cluster.files().mkdirs(host, p);
            if (p.equals(parent)) break;
        }
    }

    void slotCreated() {
        slot = true;
    }

    void started() {
        started = true;
    }

    void syncRepTurnedOn() {
        syncRep = true;
    }

    void run(Connection coordinator, Consumer<String> out) {
        step(out, "turn synchronous replication off", () -> {
            if (syncRep) CoordinatorSync.setSyncNames(coordinator, "");
        });
        step(out, "stop the standby", () -> {
            if (started) cluster.tools().stop(standby.address(), Path.of(standby.datadir()), "immediate");
        });
        step(out, "drop the replication slot", () -> {
            if (!slot) return;
            if (CoordinatorSync.slotExists(coordinator)) {
                CoordinatorSync.dropSlotOnceReleased(coordinator, time, Duration.ofSeconds(5));
            }
        });
        step(out, "remove " + standby.datadir(), () -> {
            Path dir = Path.of(standby.datadir());
            if (existedEmpty) {
                cluster.files().removeCreated(standby.address(), dir);
                cluster.files().mkdirs(standby.address(), dir);
            } else if (createdTop != null) {
                cluster.files().removeCreated(standby.address(), createdTop);
            }
        });
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(Consumer<String> out, String what, Step s) {
        try {
            s.run();
        } catch (Exception e) {
            out.accept("could not " + what + ": " + e.getMessage());
        }
    }
}
