package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import dev.tandem.instance.InstanceSql;
import dev.tandem.instance.WalSender;
import dev.tandem.time.Deadline;
import dev.tandem.time.Time;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** Makes one instance a synchronous streaming replica of another: slot, copy, settings, syncrep on. */
public final class ReplicaBuilder {

    private final Cluster cluster;
    private final InstanceConfigurer conf;
    private final InstanceSql sql;

    public ReplicaBuilder(Cluster cluster, InstanceConfigurer conf) {
        this(cluster, conf, Time.SYSTEM);
    }

    public ReplicaBuilder(Cluster cluster, InstanceConfigurer conf, Time time) {
        this.cluster = cluster;
        this.conf = conf;
        this.sql = new InstanceSql(time, InstanceSql.Timeouts.DEFAULTS);
    }

    /** The primary's slot for its mirror, reserving WAL from now on; kept if it exists. */
    public void createSlot(Segment primary) {
        try (Connection c = cluster.connect(primary)) {
            sql.createSlot(c, InstanceConfigurer.SLOT);
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
        // pg_basebackup runs on the target's host: its pgpass must be there, not only on the coordinator's
        cluster.withPassfileOn(target.address(), passfile -> {
            cluster.tools().basebackup(target.address(), source.address(), source.port(),
                    cluster.descriptor().superuser(), passfile, dir, InstanceConfigurer.SLOT, timeout, progress);
            return null;
        });
        cluster.files().mkdirs(target.address(), dir.resolve("log"));
    }

    /**
     * Waits for the mirror to stream, names it the primary's synchronous standby, and waits for
     * {@code sync_state = 'sync'}: from then on no commit on the primary is acknowledged before the mirror has it.
     */
    public void enableSyncAndWait(Segment primary, Segment mirror, Duration timeout) {
        String app = InstanceConfigurer.applicationName(mirror);
        Deadline deadline = sql.time().deadline(timeout);
        try (Connection c = cluster.connect(primary)) {
            await(c, app, WalSender::streaming, "streaming", deadline, primary);
            sql.setSynchronousStandbyNames(c, app);
            await(c, app, WalSender::synchronous, "streaming/sync", deadline, primary);
        } catch (SQLException e) {
            throw new ClusterException(primary.subject() + " cannot turn synchronous replication on: " + e.getMessage(), e);
        }
    }

    private void await(Connection c, String app, Predicate<WalSender> wanted, String what, Deadline deadline, Segment p)
            throws SQLException {
        Optional<WalSender> seen = sql.awaitWalSender(c, app, wanted, deadline.remaining(), Duration.ofMillis(100));
        if (seen.filter(wanted).isEmpty()) {
            throw new ClusterException(p.subject() + " mirror " + app + " did not reach " + what + " in time (last seen: "
                    + seen.map(w -> w.state().pg() + "/" + w.syncState().pg()).orElse("not connected") + ")");
        }
    }
}
