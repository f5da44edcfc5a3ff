package dev.tandem.coordinator;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.ClusterInitializer;
import dev.tandem.cluster.ConfigSnapshot;
import dev.tandem.cluster.InitPrechecks;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.cluster.PlaceCheck;
import dev.tandem.cluster.ReplicaBuilder;
import dev.tandem.cluster.FtsDaemonProcess;
import dev.tandem.time.Time;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * {@code tandem initstandby} (Greenplum's gpinitstandby): add, remove or restart the standby coordinator, a
 * synchronous streaming replica of the coordinator. Each operation holds the standby advisory lock on the
 * coordinator, so the FTS daemon's {@link StandbyWatch} never acts on a half-made standby.
 */
public final class StandbyInitializer {

    static final Duration COPY_TIMEOUT = Duration.ofHours(2);
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(120);
    private static final int LOCK_WAIT_SECONDS = 30;

    private final Cluster cluster;
    private final Consumer<String> out;
    private final InstanceConfigurer conf;
    private final Time time;

    public StandbyInitializer(Cluster cluster, Consumer<String> out) {
        this(cluster, out, Time.SYSTEM);
    }

    public StandbyInitializer(Cluster cluster, Consumer<String> out, Time time) {
        this.time = time;
        this.cluster = cluster;
        this.out = out;
        this.conf = new InstanceConfigurer(cluster.files(), ClusterInitializer.SUPERUSER);
    }

    /** Checks, then copies, configures, starts and syncs the standby; then writes its catalog row. */
    public Segment add(String host, OptionalInt port, Optional<Path> datadir) throws SQLException {
        List<Segment> config = cluster.configuration();
        Segment standby = StandbyPlace.row(config, host, port, datadir);
        Segment coord = StandbyWatch.coordinatorRow(config);
        List<String> problems = new java.util.ArrayList<>(StandbyPlace.problems(config, standby));
        if (problems.isEmpty()) {
            problems.addAll(new PlaceCheck(cluster.files()).conflicts(config,
                    List.of(new PlaceCheck.Candidate(standby, "standby coordinator at " + standby.location()))));
        }
        if (problems.isEmpty()) {
            out.accept("checking host " + host + ", port " + standby.port() + " and directory " + standby.datadir());
            problems.addAll(new InitPrechecks(cluster.runner(), cluster.tools(), cluster.files()).problems(List.of(standby)));
        }
        if (!problems.isEmpty()) {
            throw new ClusterException("initstandby refused; nothing was created:\n  - " + String.join("\n  - ", problems));
        }
        try (Connection c = cluster.coordinatorConnection()) {
            CoordinatorSync.commitLocally(c);
            CoordinatorSync.lock(c, LOCK_WAIT_SECONDS);
            StandbyUndo undo = new StandbyUndo(cluster, standby, time);
            try {
                build(c, coord, standby, undo);
            } catch (RuntimeException | SQLException e) {
                out.accept("initstandby failed; undoing what it did");
                undo.run(c, out);
                throw e;
            } finally {
                CoordinatorSync.unlock(c);
            }
        }
        out.accept("standby coordinator " + standby.location() + " streaming in sync (dbid " + standby.dbid() + ")");
        return standby;
    }

    private void build(Connection c, Segment coord, Segment standby, StandbyUndo undo) throws SQLException {
        Path dir = Path.of(standby.datadir());
        ReplicaBuilder replicas = new ReplicaBuilder(cluster, conf);
        undo.willFill();
        out.accept("creating the standby with pg_basebackup from " + coord.address() + ":" + coord.port());
        replicas.createSlot(coord);
        undo.slotCreated();
        replicas.copy(coord, standby, COPY_TIMEOUT);
        // the copy carries the coordinator's FTS pid file; the standby's copy of tandem.json is written here
        // because an old copy may be missing (init writes it last) and activatestandby starts from it
        cluster.files().remove(standby.address(), dir.resolve(FtsDaemonProcess.PID_FILE));
        cluster.files().removeCreated(standby.address(), dir.resolve("log")); // the coordinator's logs, not the standby's
        cluster.files().mkdirs(standby.address(), dir.resolve("log"));
        cluster.files().write(standby.address(), dir.resolve(ClusterDescriptor.FILE), cluster.descriptor().toJson(), "600");
        conf.configureMirror(standby, coord);
        out.accept("starting the standby and waiting for it to stream in sync");
        undo.started();
        cluster.tools().start(standby.address(), dir);
        undo.syncRepTurnedOn();
        replicas.enableSyncAndWait(coord, standby, SYNC_TIMEOUT);
        Map<Integer, String> why = new LinkedHashMap<>();
        why.put(standby.dbid(), "tandem initstandby: added standby coordinator at " + standby.location());
        why.put(coord.dbid(), "tandem initstandby: coordinator in sync with its new standby dbid " + standby.dbid());
        List<Segment> after = CatalogStore.apply(c, List.of(standby, coord.withMode(Mode.SYNCED)), why);
        // the operator named this place: root may later replace a data directory there
        cluster.recordRoots(List.of(standby.datadir()), after);
        ConfigSnapshot.write(cluster.files(), cluster.descriptor(), after);
    }

    /**
     * Synchronous replication off first (commits must not wait for an instance about to stop), then the catalog row
     * goes (with history), then the standby stops and its slot is dropped. Its data directory is kept, as
     * Greenplum does: remove it by hand, or reuse it after emptying it.
     */
    public Segment remove() throws SQLException {
        Segment standby = standby();
        try (Connection c = cluster.coordinatorConnection()) {
            CoordinatorSync.commitLocally(c);
            CoordinatorSync.lock(c, LOCK_WAIT_SECONDS);
            try {
                CoordinatorSync.setSyncNames(c, "");
                out.accept("synchronous replication to the standby turned off");
                Segment coord = StandbyWatch.coordinatorRow(CatalogStore.read(c));
                Map<Integer, String> why = new LinkedHashMap<>();
                why.put(standby.dbid(), "tandem initstandby -r: removed standby coordinator " + standby.location());
                why.put(coord.dbid(), "tandem initstandby -r: coordinator has no standby");
                List<Segment> after = CatalogStore.apply(c, List.of(coord.withMode(Mode.NOT_SYNCED)),
                        List.of(standby.dbid()), why);
                ConfigSnapshot.write(cluster.files(), cluster.descriptor(), after);
                stopStandby(standby);
                dropSlot(c);
            } finally {
                CoordinatorSync.unlock(c);
            }
        }
        out.accept("standby removed; its data directory " + standby.address() + ":" + standby.datadir()
                + " is kept (remove it by hand, or empty it to reuse it)");
        return standby;
    }

    /** {@code -n}: starts a stopped standby, waits for it to stream, turns synchronous replication back on. */
    public Segment restart() throws SQLException {
        Segment standby = standby();
        Path dir = Path.of(standby.datadir());
        if (cluster.tools().isRunning(standby.address(), dir)) {
            out.accept("standby coordinator " + standby.location() + " already running");
        } else {
            out.accept("starting standby coordinator " + standby.location());
            cluster.tools().start(standby.address(), dir);
        }
        try (Connection c = cluster.coordinatorConnection()) {
            CoordinatorSync.commitLocally(c);
            CoordinatorSync.lock(c, LOCK_WAIT_SECONDS);
            try {
                new ReplicaBuilder(cluster, conf).enableSyncAndWait(StandbyWatch.coordinatorRow(CatalogStore.read(c)),
                        standby, SYNC_TIMEOUT);
                Segment coord = StandbyWatch.coordinatorRow(CatalogStore.read(c));
                Map<Integer, String> why = new LinkedHashMap<>();
                if (!standby.isUp() || standby.mode() != Mode.SYNCED) {
                    why.put(standby.dbid(), "tandem initstandby -n: standby coordinator restarted, in sync");
                }
                if (coord.mode() != Mode.SYNCED) why.put(coord.dbid(), "tandem initstandby -n: coordinator in sync with its standby");
                if (!why.isEmpty()) {
                    CatalogStore.apply(c, List.of(standby.withStatus(Status.UP).withMode(Mode.SYNCED),
                            coord.withMode(Mode.SYNCED)), why);
                }
            } finally {
                CoordinatorSync.unlock(c);
            }
        }
        out.accept("standby coordinator " + standby.location() + " streaming in sync");
        return standby;
    }

    private Segment standby() throws SQLException {
        return cluster.configuration().stream().filter(Segment::isStandbyCoordinator).findFirst()
                .orElseThrow(() -> new ClusterException("no standby coordinator is configured"));
    }

    private void stopStandby(Segment standby) {
        if (!cluster.runner().reaches(standby.address())) {
            out.accept("host " + standby.address() + " cannot be reached: stop the standby at " + standby.datadir()
                    + " there by hand");
            return;
        }
        cluster.tools().stop(standby.address(), Path.of(standby.datadir()), "fast");
        out.accept("standby coordinator " + standby.location() + " stopped");
    }

    /** The walsender may outlive the standby's stop by a moment; the slot can only be dropped once it is gone. */
    private void dropSlot(Connection c) throws SQLException {
        try {
            if (CoordinatorSync.dropSlotOnceReleased(c, time, Duration.ofSeconds(15))) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.accept("replication slot " + InstanceConfigurer.SLOT + " still in use on the coordinator: not dropped");
    }
}
