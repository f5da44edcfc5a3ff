package dev.tandem.recovery;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.host.LocalHostRunner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Differential recovery's copy: the PostgreSQL low-level base backup API with rsync as the copier.
 * {@code pg_backup_start} and {@code pg_backup_stop} run on ONE session held open across the rsync (a non-exclusive
 * backup belongs to its session and is aborted when the session ends, so a killed run leaves no backup behind); the
 * {@code backup_label} that pg_backup_stop returns is written into the target, which then starts as a mirror and
 * replays, through the slot, the WAL from the backup's checkpoint on: that repairs every page rsync copied while it
 * was being written.
 *
 * <p>rsync runs with {@code --checksum}: its default "same size and same mtime" check is not safe here. A relation
 * file changed in place keeps its size, and the mirror's copy and the primary's can be written in the same second
 * (the mirror replayed a change at 12:00:00.1 and died, the primary wrote the next one at 12:00:00.7): rsync would
 * skip a file that differs. {@code --checksum} reads both sides in full (disk reads of about twice the data) but
 * writes only what differs.
 *
 * <p>Until the copy is complete the target holds a marker file ({@link #MARKER}), and its {@code standby.signal} is
 * removed first: a half-copied directory is never taken for a mirror that merely stopped (incremental recovery
 * refuses it and falls back to full; a differential re-run simply copies again).
 */
final class DifferentialCopy {

    static final String MARKER = "tandem_copy_incomplete";
    static final Duration TIMEOUT = Duration.ofHours(12);

    /** Not copied (as pg_basebackup leaves them out) and, being excluded, never deleted on the target by --delete. */
    static final List<String> FILTERS = List.of(
            "--exclude=/postmaster.pid", "--exclude=/postmaster.opts", "--exclude=/postgresql.auto.conf",
            "--exclude=/standby.signal", "--exclude=/recovery.signal", "--exclude=/backup_label",
            "--exclude=/tablespace_map", "--exclude=/current_logfiles", "--exclude=/log/", "--exclude=/" + MARKER,
            "--include=/pg_wal/*.history", "--exclude=/pg_wal/*", "--exclude=/pg_replslot/*",
            "--exclude=/pg_stat_tmp/*", "--exclude=/pg_dynshmem/*", "--exclude=/pg_notify/*",
            "--exclude=/pg_serial/*", "--exclude=/pg_snapshots/*", "--exclude=/pg_subtrans/*",
            "--exclude=pg_internal.init", "--exclude=pgsql_tmp*");

    /** Emptied on the target before the copy: old WAL there is stale, and the rest is rebuilt at startup. */
    private static final List<String> EMPTIED = List.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
            "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");

    private final Cluster cluster;

    DifferentialCopy(Cluster cluster) {
        this.cluster = cluster;
    }

    /** @return how long the rsync took, for the log line */
    Duration copy(Segment source, Place target, Consumer<String> progressLines) {
        String host = target.address();
        Path dir = Path.of(target.datadir());
        // rsync --delete empties whatever is there: only a data directory of the cluster's OS user (or nothing)
        cluster.files().requireReplaceable(host, dir);
        cluster.files().mkdirs(host, dir);
        cluster.files().write(host, dir.resolve(MARKER), "an rsync copy from " + source.location()
                + " is in progress or was interrupted: this directory is not consistent\n", "600");
        cluster.files().remove(host, dir.resolve("standby.signal"));
        emptyScratchDirectories(host, dir);
        try (Connection c = cluster.connect(source)) {
            c.setNetworkTimeout(Runnable::run, (int) Duration.ofMinutes(30).toMillis());
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_backup_start(?, true)")) {
                ps.setString(1, "tandem recoverseg differential into " + target.text());
                ps.execute();
            }
            CommandResult r = cluster.runner().runStreaming(rsync(source, target), progressLines);
            // 24: some files vanished while rsync ran (dropped tables, temp files): normal for a live directory
            if (!r.ok() && r.exitCode() != 24) {
                throw new ClusterException(source.subject() + " rsync into " + target.text() + " failed (exit "
                        + r.exitCode() + "): " + SegmentRecoverer.lastLines(r.stderr().strip(), 8));
            }
            String label;
            String spcmap;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                rs.next();
                label = rs.getString(1);
                spcmap = rs.getString(2);
            }
            cluster.files().write(host, dir.resolve("backup_label"), label, "600");
            if (spcmap != null && !spcmap.isBlank()) cluster.files().write(host, dir.resolve("tablespace_map"), spcmap, "600");
            cluster.files().mkdirs(host, dir.resolve("log"));
            cluster.files().remove(host, dir.resolve(MARKER));
            return r.elapsed();
        } catch (SQLException e) {
            throw new ClusterException(source.subject() + " backup API on " + source.location() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private Command rsync(Segment source, Place target) {
        boolean local = LocalHostRunner.isLocal(source.address()) && LocalHostRunner.isLocal(target.address());
        String from = (local ? "" : source.address() + ":") + source.datadir() + "/";
        List<String> argv = new ArrayList<>(List.of("rsync", "-a", "--delete", "--checksum", "--info=progress2",
                "--no-inc-recursive"));
        argv.addAll(FILTERS);
        argv.add(from);
        argv.add(target.datadir() + "/");
        return Command.of(target.address(), TIMEOUT, argv).as(cluster.descriptor().osUser());
    }

    private void emptyScratchDirectories(String host, Path dir) {
        StringBuilder sh = new StringBuilder("cd \"$1\" || exit 1; ");
        for (String d : EMPTIED) {
            sh.append("[ -d ").append(d).append(" ] && find ").append(d).append(" -mindepth 1 ")
                    .append(d.equals("pg_wal") ? "-not -name archive_status " : "").append("-delete; ");
        }
        sh.append("exit 0");
        cluster.runner().run(Command.of(host, Duration.ofMinutes(5), List.of("sh", "-c", sh.toString(), "empty",
                dir.toString())).as(cluster.descriptor().osUser())).orThrow();
    }
}
