package dev.tandem.cluster;

import dev.tandem.catalog.FtsLeaderTerm;
import dev.tandem.dcs.EtcdSettings;
import dev.tandem.dcs.EtcdView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code tandem etcd attach/detach} and {@code tandem init --etcd}: checks the settings and that etcd answers with a
 * quorum before anything changes, then records them in {@code tandem.json} (coordinator and standby coordinator) and
 * starts the recorded FTS term afresh (a term is an etcd revision: another etcd, or the same one after a detach,
 * must not find an older cluster's term in the way).
 */
public final class EtcdAttachment {

    private EtcdAttachment() {
    }

    /** The default key prefix: readable, and distinct per cluster (host, port, and when it was created). */
    public static String defaultPrefix(ClusterDescriptor d) {
        String host = d.coordinatorHost().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "_");
        String id = Integer.toHexString((d.createdAt() + "|" + d.coordinatorDatadir()).hashCode() & 0xffffff);
        return "/tandem/" + host + "-" + d.coordinatorPort() + "-" + id + "/";
    }

    /** What is wrong with {@code s} before etcd is even asked: settings, and files that must be readable here. */
    public static List<String> problems(EtcdSettings s) {
        List<String> p = new ArrayList<>(s.problems());
        for (String f : new String[] {s.caFile(), s.certFile(), s.keyFile(), s.passwordFile()}) {
            if (f != null && !Files.isReadable(Path.of(f))) p.add(f + " is not a readable file");
        }
        return p;
    }

    /** Refuses (with every reason) unless the settings are usable and etcd answers a quorum read. */
    public static EtcdView.Report check(EtcdSettings s) {
        List<String> p = problems(s);
        if (!p.isEmpty()) throw new IllegalArgumentException("etcd settings refused:\n  - " + String.join("\n  - ", p));
        EtcdView.Report r = EtcdView.of(s);
        if (r.error().isPresent()) {
            List<String> why = dev.tandem.dcs.EtcdDiagnosis.explain(s);
            throw new ClusterException("etcd at " + String.join(",", s.endpoints()) + " does not answer a quorum read ("
                    + r.error().get() + ")" + (why.isEmpty() ? "" : ":\n  - " + String.join("\n  - ", why))
                    + "\nnothing changed");
        }
        return r;
    }

    public static void attach(Cluster cluster, EtcdSettings s, Consumer<String> out) throws SQLException {
        EtcdView.Report r = check(s);
        r.leader().ifPresent(l -> out.accept("note: a leader key exists already under " + s.prefix() + " (" + l.holder()
                + ", term " + l.term() + "): another cluster with the same prefix, or this one attached before"));
        record(cluster, s, out);
        out.accept("attached to etcd: " + s.describe());
    }

    public static void detach(Cluster cluster, Consumer<String> out) throws SQLException {
        record(cluster, null, out);
        out.accept("detached from etcd: one FTS daemon holding the advisory lock on the coordinator, manual "
                + "activatestandby (the embedded default)");
    }

    private static void record(Cluster cluster, EtcdSettings s, Consumer<String> out) throws SQLException {
        List<dev.tandem.catalog.Segment> config;
        try (Connection c = cluster.coordinatorConnection()) {
            FtsLeaderTerm.create(c);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE tandem.gp_fts_leader SET term = 0, holder = NULL, since = NULL WHERE id = 1");
            }
            config = dev.tandem.catalog.CatalogStore.read(c);
        }
        cluster.recordEtcd(s, config).forEach(out);
    }
}
