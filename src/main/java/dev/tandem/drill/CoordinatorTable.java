package dev.tandem.drill;

import dev.tandem.cluster.Cluster;
import dev.tandem.query.DistributedSetup;
import dev.tandem.query.SegmentServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The drill's distributed table {@code public.drill_dist}, hash-distributed by id over every content: installed
 * through the query package's own setup (what {@code tandem init} and {@code tandem distributed setup} run; it is
 * idempotent) and {@code tandem.create_distributed_table}, as an application's migration would. Knows which content
 * each partition (a foreign table on {@code tandem_seg<N>}) sends its rows to, so that a write acknowledged through
 * the coordinator can be attributed to the content that holds it.
 */
final class CoordinatorTable {

    static final String NAME = "public.drill_dist";

    /** partition oid -> content, from the partition's foreign server */
    private final Map<Long, Integer> contentByPartition;

    CoordinatorTable(Map<Long, Integer> contentByPartition) {
        this.contentByPartition = Map.copyOf(contentByPartition);
    }

    static CoordinatorTable create(Cluster cluster, int contents) throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            DistributedSetup.install(c, cluster.descriptor().superuser());
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + NAME + " (id bigint PRIMARY KEY, client int NOT NULL)");
                st.execute("SELECT tandem.create_distributed_table('" + NAME + "', 'id')");
            }
            CoordinatorTable t = new CoordinatorTable(partitions(c));
            if (t.contentByPartition.size() != contents
                    || !t.contentByPartition.values().containsAll(java.util.stream.IntStream.range(0, contents).boxed().toList())) {
                throw new IllegalStateException(NAME + " has partitions for " + t.describe() + ", expected 0-"
                        + (contents - 1));
            }
            return t;
        }
    }

    private static Map<Long, Integer> partitions(Connection c) throws SQLException {
        Map<Long, Integer> out = new TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT i.inhrelid::bigint, s.srvname FROM pg_inherits i "
                     + "JOIN pg_foreign_table f ON f.ftrelid = i.inhrelid JOIN pg_foreign_server s ON s.oid = f.ftserver "
                     + "WHERE i.inhparent = '" + NAME + "'::regclass")) {
            while (rs.next()) {
                int content = contentOfServer(rs.getString(2)).orElseThrow(() -> new IllegalStateException(
                        "a partition of " + NAME + " is not on a segment server"));
                out.put(rs.getLong(1), content);
            }
        }
        return out;
    }

    /** {@code tandem_seg3} -> 3; empty for any other name. */
    static Optional<Integer> contentOfServer(String name) {
        if (name == null || !name.matches(SegmentServer.PREFIX + "[0-9]{1,9}")) return Optional.empty();
        return Optional.of(Integer.parseInt(name.substring(SegmentServer.PREFIX.length())));
    }

    /** The content whose partition has this oid ({@code tableoid} of a row), if it is one of this table's. */
    Optional<Integer> contentOf(long partitionOid) {
        return Optional.ofNullable(contentByPartition.get(partitionOid));
    }

    String describe() {
        return "contents " + contentByPartition.values().stream().sorted().toList();
    }
}
