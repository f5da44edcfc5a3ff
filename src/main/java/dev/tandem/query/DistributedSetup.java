package dev.tandem.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs distributed tables in the coordinator database (docs/query-path.md): postgres_fdw and dblink, the SQL
 * API ({@code tandem.create_distributed_table}, ...), the trigger that re-points each content's server in the
 * catalog writer's transaction, one server per content with its user mapping, and the planner settings that push
 * aggregates and joins down to the segments. Idempotent: {@code tandem init} runs it once the catalog is written,
 * {@code tandem distributed setup} runs it on a cluster made before it existed, and either may run again.
 */
public final class DistributedSetup {

    /**
     * Run in this order: the tables' functions use the servers; the columns', the commit marks' and the ALTER
     * TABLE triggers' use the tables'.
     */
    static final List<String> SCRIPTS = List.of("servers.sql", "tables.sql", "columns.sql", "commits.sql",
            "alter.sql");
    /**
     * The server option {@code passfile}, relative: a backend's working directory is its data directory, so the
     * coordinator reads its own {@code tandem.pgpass} and an activated standby (a copy of it) reads its copy.
     */
    static final String PASSFILE_OPTION = "tandem.pgpass";
    /**
     * Planner settings of the catalog database. Stored by ALTER DATABASE in a shared catalog, so they travel to
     * the standby coordinator by WAL, unlike postgresql.auto.conf.
     */
    static final List<String> SETTINGS = List.of("enable_partitionwise_aggregate", "enable_partitionwise_join");

    private static final Logger LOG = LoggerFactory.getLogger(DistributedSetup.class);

    private DistributedSetup() {
    }

    /** @return the number of segment servers created (0 when they all existed) */
    public static int install(Connection c, String clusterRole) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        int created;
        try {
            try (Statement st = c.createStatement()) {
                st.execute(script());
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT tandem.create_segment_servers(?, ?)")) {
                ps.setString(1, clusterRole);
                ps.setString(2, PASSFILE_OPTION);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    created = rs.getInt(1);
                }
            }
            try (Statement st = c.createStatement()) {
                for (String s : SETTINGS) {
                    st.execute("ALTER DATABASE " + quoteIdent(c.getCatalog()) + " SET " + s + " = on");
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        LOG.info("distributed tables set up in database {}: {} segment server(s) created, the others kept",
                c.getCatalog(), created);
        return created;
    }

    /** The scripts, one after another, as one text. */
    static String script() {
        StringBuilder all = new StringBuilder();
        for (String name : SCRIPTS) all.append(resource(name)).append('\n');
        return all.toString();
    }

    private static String resource(String name) {
        try (InputStream in = DistributedSetup.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
