package dev.tandem.state;

import dev.tandem.catalog.FtsLeaderTerm;
import dev.tandem.cluster.Cluster;
import dev.tandem.dcs.EtcdSettings;
import dev.tandem.dcs.EtcdView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The FTS leader and etcd's health, for {@code tandem state} on a cluster attached to etcd (docs/etcd.md): who leads
 * by etcd's word (a quorum read), the term the catalog has recorded, the last probe round the coordinator saw, and
 * each etcd endpoint. Collected with bounded calls; printed after the usual view, whose own lines do not change.
 *
 * @param etcd       empty when the cluster is not attached to etcd (nothing is printed then)
 * @param recorded   {@code gp_fts_leader} as the coordinator has it, empty when the coordinator did not answer
 * @param lastRound  who finished the last probe round and how long ago, empty when unknown
 * @param failover   what etcd says about automatic coordinator failover: where the coordinator is published and
 *                   whether the standby would be activated (lines already formatted); empty without etcd
 */
public record FtsLeaderStatus(Optional<EtcdView.Report> etcd, Optional<FtsLeaderTerm.Recorded> recorded,
                              Optional<String> lastRound, List<String> failover) {

    public FtsLeaderStatus(Optional<EtcdView.Report> etcd, Optional<FtsLeaderTerm.Recorded> recorded,
                           Optional<String> lastRound) {
        this(etcd, recorded, lastRound, List.of());
    }

    public static FtsLeaderStatus collect(Cluster cluster) {
        EtcdSettings s = cluster.descriptor().etcd();
        if (s == null) return new FtsLeaderStatus(Optional.empty(), Optional.empty(), Optional.empty());
        EtcdView.Report report = EtcdView.of(s);
        List<String> failover = report.error().isPresent() ? List.of() : CoordinatorFailoverView.lines(s);
        Optional<FtsLeaderTerm.Recorded> recorded = Optional.empty();
        Optional<String> round = Optional.empty();
        try (Connection c = cluster.coordinatorConnection()) {
            recorded = FtsLeaderTerm.read(c);
            round = lastRound(c);
        } catch (SQLException e) {
            // the coordinator's own line in the view says it is unreachable
        }
        return new FtsLeaderStatus(Optional.of(report), recorded, round, failover);
    }

    static Optional<String> lastRound(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT daemon_host, daemon_pid, "
                     + "extract(epoch FROM clock_timestamp() - round_finished) FROM tandem.fts_status WHERE id = 1")) {
            if (!rs.next() || rs.getObject(3) == null) return Optional.of("none yet");
            return Optional.of(String.format(Locale.ROOT, "%.1f s ago, by %s pid %d", rs.getDouble(3), rs.getString(1),
                    rs.getLong(2)));
        }
    }

    /** Whether something here is wrong: no leader, or etcd without quorum. */
    public boolean problem() {
        return etcd.isPresent() && (etcd.get().error().isPresent() || etcd.get().leader().isEmpty());
    }

    /** The lines printed under the view; none without etcd. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (etcd.isEmpty()) return out;
        EtcdView.Report r = etcd.get();
        out.add("");
        out.add("FTS leadership (etcd)");
        out.add(String.format("   %-28s = %s", "FTS leader", r.leaderLine()));
        out.add(String.format("   %-28s = %s", "FTS daemons", r.daemonsLine()));
        out.add(String.format("   %-28s = %s", "Term recorded in the catalog", recorded
                .map(t -> t.term() == 0 ? "none" : t.term() + " (" + t.holder() + ", since " + t.since() + ")")
                .orElse("unknown (coordinator not reachable)")));
        out.add(String.format("   %-28s = %s", "Last probe round", lastRound.orElse("unknown")));
        failover.forEach(line -> out.add("   " + line));
        out.add(String.format("   %-28s = %d of %d endpoints up%s", "etcd", r.healthy(), r.members().size(),
                r.error().isPresent() ? ", NO QUORUM: no failover until it is back" : ""));
        for (EtcdView.Member m : r.members()) {
            out.add(String.format("      %s %s: %s", m.endpoint(), m.up() ? "up" : "DOWN", m.detail()));
        }
        return out;
    }
}
