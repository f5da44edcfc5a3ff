package dev.tandem.recovery;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.time.Poll;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The acting primary's slot for its mirror, as {@code pg_replication_slots} shows it. */
public final class SlotState {

    private SlotState() {
    }

    /** {@code wal_status} of the slot ("reserved", "extended", "unreserved", "lost"), empty when there is no slot. */
    public static Optional<String> walStatus(Cluster cluster, Segment primary) {
        try (Connection c = cluster.connect(primary);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT coalesce(wal_status, 'unknown') FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, InstanceConfigurer.SLOT);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ClusterException(primary.subject() + " cannot read the replication slot on " + primary.address()
                    + ":" + primary.port() + ": " + e.getMessage(), e);
        }
    }

    /** An invalidated slot cannot serve a new copy: drop it (the caller creates a fresh one). */
    public static void dropIfLost(Cluster cluster, Segment primary) {
        try (Connection c = cluster.connect(primary);
             PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) "
                     + "FROM pg_replication_slots WHERE slot_name = ? AND wal_status = 'lost'")) {
            ps.setString(1, InstanceConfigurer.SLOT);
            ps.execute();
        } catch (SQLException e) {
            throw new ClusterException(primary.subject() + " cannot drop the invalidated slot on " + primary.address()
                    + ":" + primary.port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits (bounded) until no walsender holds the slot: the target was stopped, so an active slot belongs to a
     * copy or a mirror that died a moment ago and whose walsender has not noticed yet. Past the bound, the copy
     * itself reports the slot as busy.
     */
    public static void awaitInactive(Cluster cluster, Segment primary, java.time.Duration bound, Time time) {
        try (Connection c = cluster.connect(primary);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, InstanceConfigurer.SLOT);
            new Poll(time, java.time.Duration.ofMillis(200)).until(() -> {
                try (ResultSet rs = ps.executeQuery()) {
                    return !rs.next() || !rs.getBoolean(1);
                }
            }, bound);
        } catch (SQLException e) {
            throw new ClusterException(primary.subject() + " cannot read the replication slot on " + primary.address()
                    + ":" + primary.port() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted");
        }
    }

    /** Total size of the databases on {@code s}: the estimate shown as a full copy's total bytes. */
    public static long databaseBytes(Cluster cluster, Segment s) {
        try (Connection c = cluster.connect(s);
             PreparedStatement ps = c.prepareStatement("SELECT sum(pg_database_size(oid))::bigint FROM pg_database");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // informative only
        }
    }
}
