package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Makes one instance a synchronous streaming replica of another: slot, copy, settings, syncrep on. */
public final class ReplicaBuilder {

    private final Cluster cluster;
    private final InstanceConfigurer conf;

    public ReplicaBuilder(Cluster cluster, InstanceConfigurer conf) {
        this.cluster = cluster;
        this.conf = conf;
    }

    /** The primary's slot for its mirror, reserving WAL from now on; kept if it exists. */
    public void createSlot(Segment primary) {
        try (Connection c = cluster.connect(primary);
             PreparedStatement ps = c.prepareStatement("SELECT pg_create_physical_replication_slot(?, true) "
                     + "WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)")) {
            ps.setString(1, InstanceConfigurer.SLOT);
            ps.setString(2, InstanceConfigurer.SLOT);
            ps.execute();
        } catch (SQLException e) {
            throw new ClusterException(primary.subject() + " cannot create replication slot on "
                    + primary.address() + ":" + primary.port() + ": " + e.getMessage(), e);
        }
    }

    /** pg_basebackup of {@code source} into {@code target}'s data directory, through the slot. */
    public void copy(Segment source, Segment target, Duration timeout) {
        copy(source, target, timeout, null);
    }

    /** The same, reporting pg_basebackup's progress lines to {@code progress} (null: no progress). */
    public void copy(Segment source, Segment target, Duration timeout, java.util.function.Consumer<String> progress) {
        Path dir = Path.of(target.datadir());
        cluster.tools().basebackup(target.address(), source.address(), source.port(), cluster.descriptor().superuser(),
                cluster.descriptor().passfile(), dir, InstanceConfigurer.SLOT, timeout, progress);
        cluster.files().mkdirs(target.address(), dir.resolve("log"));
    }

    /**
     * Waits for the mirror to stream, names it the primary's synchronous standby, and waits for
     * {@code sync_state = 'sync'}: from then on no commit on the primary is acknowledged before the mirror has it.
     */
    public void enableSyncAndWait(Segment primary, Segment mirror, Duration timeout) {
        String app = InstanceConfigurer.applicationName(mirror);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = cluster.connect(primary)) {
            waitFor(c, app, "streaming", null, deadline, primary);
            try (Statement st = c.createStatement()) {
                st.execute("ALTER SYSTEM SET synchronous_standby_names = '" + app + "'");
                st.execute("SELECT pg_reload_conf()");
            }
            waitFor(c, app, "streaming", "sync", deadline, primary);
        } catch (SQLException e) {
            throw new ClusterException(primary.subject() + " cannot turn synchronous replication on: " + e.getMessage(), e);
        }
    }

    private static void waitFor(Connection c, String app, String state, String syncState, long deadline, Segment p)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT state, sync_state FROM pg_stat_replication WHERE application_name = ?")) {
            ps.setString(1, app);
            String seen = "not connected";
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        seen = rs.getString(1) + "/" + rs.getString(2);
                        if (state.equals(rs.getString(1)) && (syncState == null || syncState.equals(rs.getString(2)))) {
                            return;
                        }
                    }
                }
                sleep(100);
            }
            throw new ClusterException(p.subject() + " mirror " + app + " did not reach " + state
                    + (syncState == null ? "" : "/" + syncState) + " in time (last seen: " + seen + ")");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted");
        }
    }
}
