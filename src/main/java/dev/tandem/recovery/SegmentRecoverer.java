package dev.tandem.recovery;

import dev.tandem.catalog.CatalogConflict;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.CatalogWriter;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.DataRoots;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.cluster.ReplicaBuilder;
import dev.tandem.fts.MaintenanceLocks;
import dev.tandem.host.CommandResult;
import dev.tandem.host.HostException;
import dev.tandem.instance.InstanceSql;
import dev.tandem.time.Time;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the steps of one {@link SegmentRecovery}. Every step checks before it acts (stop only what runs, drop only a
 * lost slot, move the catalog row only if it is not moved yet), so running a half-done recovery again finishes it.
 * Incremental recovery falls back to full when the slot is gone or invalidated or pg_rewind fails, saying why.
 */
final class SegmentRecoverer {

    static final Duration COPY_TIMEOUT = Duration.ofHours(12);
    static final int REWIND_ATTEMPTS = 3;
    static final Duration REWIND_RETRY_PAUSE = Duration.ofSeconds(2);
    /** A copy killed mid-way leaves its walsender holding the slot until it notices (at most wal_sender_timeout). */
    static final Duration SLOT_RELEASE = Duration.ofSeconds(30);

    private final Runnable beforeEachStep;
    private final Cluster cluster;
    private final InstanceConfigurer configurer;
    private final ReplicaBuilder replicas;
    private final RewindTool rewind;
    private final ProgressBoard progress;
    private final Consumer<String> out;
    private final Time time;
    private final InstanceSql sql;

    SegmentRecoverer(Cluster cluster, ProgressBoard progress, Consumer<String> out, Time time) {
        this(cluster, progress, out, time, () -> { });
    }

    /** @param beforeEachStep throws to stop the run (the recovery lock lost: another run may act) */
    SegmentRecoverer(Cluster cluster, ProgressBoard progress, Consumer<String> out, Time time, Runnable beforeEachStep) {
        this.beforeEachStep = beforeEachStep;
        this.time = time;
        this.sql = new InstanceSql(time, InstanceSql.Timeouts.DEFAULTS);
        this.cluster = cluster;
        this.configurer = new InstanceConfigurer(cluster.files(), cluster.descriptor().superuser());
        this.replicas = new ReplicaBuilder(cluster, configurer, time);
        this.rewind = new RewindTool(cluster);
        this.progress = progress;
        this.out = out;
    }

    /** @return the recovery as actually done (full after a fallback) */
    SegmentRecovery recover(SegmentRecovery r) {
        String subject = r.failed().subject();
        out.accept(subject + " " + r.type().word() + " recovery of " + Place.of(r.failed()).text()
                + (r.relocates() ? " to " + r.target().text() : "") + " from dbid " + r.source().dbid()
                + " (" + r.why() + ")");
        history(r.failed(), "recoverseg: " + r.type().word() + " recovery started from dbid " + r.source().dbid()
                + (r.relocates() ? " to " + r.target().text() : ""));
        progress.set(r.failed(), r.type(), 0, 0);
        try {
            runSteps(r);
            return r;
        } catch (NeedsFullRecovery e) {
            SegmentRecovery full = r.asFull("fallback from incremental: " + e.getMessage());
            out.accept(subject + " incremental recovery cannot work: " + e.getMessage() + "; falling back to full");
            history(r.failed(), "recoverseg: falling back to full recovery: " + e.getMessage());
            progress.set(r.failed(), RecoveryType.FULL, 0, 0);
            runSteps(full);
            return full;
        }
    }

    private void runSteps(SegmentRecovery r) {
        Segment self = targetSegment(r);
        for (Step step : r.steps()) {
            beforeEachStep.run();
            switch (step) {
                case Step.CheckSlot s -> checkSlot(s.source());
                case Step.StopIfRunning s -> stopIfRunning(s.at());
                case Step.RewindIfDiverged s -> rewindIfDiverged(r.failed(), s.source(), s.target());
                case Step.RemoveDataDirectory s -> {
                    requireWithinRoots(s.target(), "remove");
                    cluster.files().removeTree(s.target().address(), Path.of(s.target().datadir()));
                }
                case Step.EnsureSlot s -> {
                    SlotState.dropIfLost(cluster, s.source());
                    replicas.createSlot(s.source());
                    SlotState.awaitInactive(cluster, s.source(), SLOT_RELEASE, time);
                }
                case Step.BaseBackup s -> baseBackup(r, s, self);
                case Step.SyncChangedFiles s -> {
                    requireWithinRoots(s.target(), "rsync over and hand to the OS user");
                    syncChangedFiles(r, s);
                }
                case Step.AllowHost s -> allowHost(s);
                case Step.ConfigureMirror s -> configurer.configureMirror(self, s.source());
                case Step.MoveInCatalog s -> {
                    recordRoot(s.to());
                    moveInCatalog(r, s, self);
                }
                case Step.Start s -> {
                    if (!cluster.tools().isRunning(s.at().address(), Path.of(s.at().datadir()))) {
                        cluster.tools().start(s.at().address(), Path.of(s.at().datadir()));
                    }
                }
            }
        }
        RewindJournal.end(cluster, r.failed().dbid());
        out.accept(r.failed().subject() + " started as mirror of dbid " + r.source().dbid() + "; catching up");
    }

    /**
     * Checked before the run too (RecoveryPrechecks); again here because an incremental recovery that falls back to
     * full reaches the removal without having been planned as full.
     */
    private void requireWithinRoots(Place target, String what) {
        DataRoots.refusal(cluster, target.address(), Path.of(target.datadir()), what).ifPresent(m -> {
            throw new ClusterException(m);
        });
    }

    /**
     * The new place the operator named (-i, -p) becomes one of the cluster's directories before the catalog names it,
     * so that a later recovery in place there (a re-run after a failed start, a later failure) is not refused as
     * outside them; even when this run is killed between the two.
     */
    private void recordRoot(Place to) {
        try {
            cluster.recordRoots(List.of(to.datadir()), cluster.configuration());
        } catch (SQLException | RuntimeException e) {
            throw new ClusterException("cannot record " + to.datadir() + " among the cluster's directories in "
                    + "tandem.json (" + e.getMessage() + "); the catalog still names the old place", e);
        }
    }

    /** The failed row at its target place, as configureMirror and the catalog see it. */
    static Segment targetSegment(SegmentRecovery r) {
        Segment f = r.failed();
        return f.withPlace(r.targetHostname(), r.target().address(), r.target().port(), r.target().datadir());
    }

    private void checkSlot(Segment source) {
        Optional<String> status = SlotState.walStatus(cluster, source);
        if (status.isEmpty()) {
            throw new NeedsFullRecovery("the acting primary dbid " + source.dbid() + " has no replication slot "
                    + InstanceConfigurer.SLOT + ", so the WAL missed since the failure may be gone");
        }
        if ("lost".equals(status.get())) {
            throw new NeedsFullRecovery("the replication slot on the acting primary dbid " + source.dbid()
                    + " was invalidated (wal_status = lost: more WAL than max_slot_wal_keep_size was written "
                    + "while the instance was down)");
        }
    }

    private void stopIfRunning(Place at) {
        Path dir = Path.of(at.datadir());
        if (!cluster.tools().isRunning(at.address(), dir)) return;
        out.accept("stopping the instance still running at " + at.text());
        try {
            cluster.tools().stop(at.address(), dir, "fast");
        } catch (HostException e) {
            cluster.tools().stop(at.address(), dir, "immediate");
        }
    }

    private void rewindIfDiverged(Segment failed, Segment source, Place target) {
        Path dir = Path.of(target.datadir());
        if (!cluster.files().exists(target.address(), dir.resolve("PG_VERSION"))) {
            throw new NeedsFullRecovery("the data directory " + target.datadir() + " on " + target.address()
                    + " is missing or is not a PostgreSQL data directory");
        }
        if (cluster.files().exists(target.address(), dir.resolve(DifferentialCopy.MARKER))) {
            throw new NeedsFullRecovery("an earlier differential copy into " + target.datadir()
                    + " was interrupted: the directory is not consistent");
        }
        Optional<String> interrupted = RewindJournal.interrupted(cluster, failed.dbid());
        if (interrupted.isPresent()) {
            throw new NeedsFullRecovery("an earlier pg_rewind of " + target.datadir() + " (started "
                    + interrupted.get() + ") was interrupted, and PostgreSQL cannot tell whether the directory is "
                    + "still usable");
        }
        if (cluster.files().exists(target.address(), dir.resolve("standby.signal"))) {
            out.accept(failed.subject() + " was a mirror when it stopped: its WAL cannot have diverged, no rewind needed");
            return;
        }
        checkpoint(source);
        RewindJournal.begin(cluster, failed.dbid(), target.datadir());
        out.accept(failed.subject() + " pg_rewind from " + source.address() + ":" + source.port());
        CommandResult res = withRetries(time, () -> rewind.rewind(target.address(), dir, source,
                progress.listener(failed, RecoveryType.INCREMENTAL)));
        if (!res.ok()) {
            String text = (res.stderr().isBlank() ? res.stdout() : res.stderr()).strip();
            throw new NeedsFullRecovery("pg_rewind failed (exit " + res.exitCode() + "): " + lastLines(text, 8));
        }
        out.accept(failed.subject() + " rewound in " + res.elapsed().toMillis() + " ms: "
                + lastLines((res.stderr().isBlank() ? res.stdout() : res.stderr()).strip(), 1));
    }

    /**
     * pg_rewind reads the source's timeline from its control file, which a just-promoted primary updates only when
     * its (spread) end-of-recovery checkpoint completes; before that pg_rewind sees one timeline and says "no rewind
     * required", and the target then cannot follow the new timeline. A CHECKPOINT first, as the pg_rewind docs ask.
     */
    private void checkpoint(Segment source) {
        try (Connection c = cluster.connect(source)) {
            sql.checkpoint(c);
        } catch (SQLException e) {
            throw new ClusterException(source.subject() + " CHECKPOINT on the acting primary failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code rewind} again, {@link #REWIND_RETRY_PAUSE} later, while it fails because a kill -9'd postmaster's
     * children still hold its shared memory (they go a moment later); at most {@link #REWIND_ATTEMPTS} times.
     */
    static CommandResult withRetries(Time time, java.util.function.Supplier<CommandResult> rewind) {
        CommandResult res = null;
        for (int attempt = 1; attempt <= REWIND_ATTEMPTS; attempt++) {
            res = rewind.get();
            if (res.ok()) break;
            if (!(res.stderr() + res.stdout()).contains("shared memory") || attempt == REWIND_ATTEMPTS) break;
            sleep(time, REWIND_RETRY_PAUSE);
        }
        return res;
    }

    private void baseBackup(SegmentRecovery r, Step.BaseBackup s, Segment self) {
        long total = SlotState.databaseBytes(cluster, s.source());
        progress.set(r.failed(), RecoveryType.FULL, 0, total);
        out.accept(r.failed().subject() + " pg_basebackup of about " + (total >> 20) + " MB from "
                + s.source().address() + ":" + s.source().port());
        long t0 = time.nanoTime();
        replicas.copy(s.source(), self, COPY_TIMEOUT, progress.listener(r.failed(), RecoveryType.FULL));
        progress.set(r.failed(), RecoveryType.FULL, total, total);
        out.accept(r.failed().subject() + " copied in " + (time.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private void syncChangedFiles(SegmentRecovery r, Step.SyncChangedFiles s) {
        out.accept(r.failed().subject() + " rsync of the changed files from " + s.source().location()
                + " between pg_backup_start and pg_backup_stop");
        Duration took = new DifferentialCopy(cluster).copy(s.source(), s.target(),
                progress.listener(r.failed(), RecoveryType.DIFFERENTIAL));
        out.accept(r.failed().subject() + " differential copy done in " + took.toMillis() + " ms");
    }

    private void allowHost(Step.AllowHost s) {
        if (!configurer.allowHost(s.source(), s.address())) return;
        out.accept(s.source().subject() + " pg_hba.conf now allows " + s.address() + "; reloading");
        try (Connection c = cluster.connect(s.source()); java.sql.Statement st = c.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new ClusterException(s.source().subject() + " cannot reload after the pg_hba.conf change: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Under the content's maintenance lock, as a switchover works, and compare-and-set on the rows the plan was made
     * on: should FTS or a switchover have changed the pair since, the row is not moved and the run fails, saying why.
     */
    private void moveInCatalog(SegmentRecovery r, Step.MoveInCatalog s, Segment self) {
        Segment failed = r.failed();
        try (Connection c = cluster.coordinatorConnection()) {
            if (!MaintenanceLocks.tryLock(c, failed.content())) {
                throw new ClusterException(failed.subject() + " a switchover or rebalance holds the content's "
                        + "maintenance lock: the catalog row was not moved; run recoverseg again once it is done");
            }
            Segment now = CatalogStore.read(c).stream().filter(x -> x.dbid() == failed.dbid()).findFirst()
                    .orElseThrow(() -> new ClusterException(failed.subject() + " is no longer in the catalog"));
            if (s.to().matches(now)) return;
            CatalogWriter.on(c).apply(s.change(failed, r.source(), self));
        } catch (CatalogConflict e) {
            throw new ClusterException(failed.subject() + " catalog row not moved: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new ClusterException(failed.subject() + " cannot update the catalog: " + e.getMessage(), e);
        }
    }

    private void history(Segment s, String desc) {
        try (Connection c = cluster.coordinatorConnection()) {
            CatalogStore.writeHistory(c, Map.of(s.dbid(), desc));
        } catch (SQLException e) {
            throw new ClusterException(s.subject() + " cannot write a history row: " + e.getMessage(), e);
        }
    }

    static String lastLines(String text, int n) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }

    private static void sleep(Time time, Duration d) {
        try {
            time.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted");
        }
    }
}
