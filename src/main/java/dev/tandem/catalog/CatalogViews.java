package dev.tandem.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code gp_segment_configuration} and {@code gp_configuration_history} readable, under Greenplum's names and as
 * {@code pg_catalog.*}, from every database of the coordinator (docs/catalog.md). PostgreSQL has no user tables
 * shared between databases, so the one writer's tables stay in the catalog database (schema {@code tandem}), and:
 * there, two plain views in {@code pg_catalog} over them; in every other database (template1 first, so that
 * {@code CREATE DATABASE} copies them into every later database), two views in {@code pg_catalog} over functions
 * that read the catalog database through dblink at each query. Views in {@code pg_catalog} are ordinary relations
 * once made (they survive restarts and travel to the standby coordinator by WAL); PostgreSQL only asks for
 * {@code allow_system_table_mods} to make them, which is set for the installing transaction alone.
 */
public final class CatalogViews {

    /** Bumped when the scripts change: a database whose views carry an older mark gets them again. */
    static final String VERSION = "tandem catalog views 1";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogViews.class);

    /** Opens a connection to one database of the coordinator, as the cluster role. */
    @FunctionalInterface
    public interface Databases {
        Connection open(String database) throws SQLException;
    }

    private CatalogViews() {
    }

    /**
     * Installs the views in the catalog database ({@code catalog}, an open connection to it) and in every other
     * database that accepts connections and lacks the current version; idempotent.
     *
     * @return the databases installed in (empty when every database was current)
     */
    public static List<String> installEverywhere(Connection catalog, Databases databases) throws SQLException {
        List<String> done = new ArrayList<>();
        if (install(catalog, "views-catalog-database.sql")) done.add(catalog.getCatalog());
        for (String db : otherDatabases(catalog)) {
            try (Connection c = databases.open(db)) {
                if (install(c, "views-other-database.sql")) done.add(db);
            }
        }
        if (!done.isEmpty()) LOG.info("catalog views installed in database(s) {} ({})", done, VERSION);
        return done;
    }

    /** template1 first: a database created while this runs then copies a template1 that has them. */
    static List<String> otherDatabases(Connection catalog) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = catalog.createStatement();
             ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datallowconn "
                     + "AND datname <> current_database() ORDER BY datname <> 'template1', datname")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static boolean install(Connection c, String script) throws SQLException {
        if (VERSION.equals(mark(c))) return false;
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL allow_system_table_mods = on");
            st.execute(resource(script));
            st.execute("COMMENT ON VIEW pg_catalog.gp_segment_configuration IS '" + VERSION + "'");
            c.commit();
            return true;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static String mark(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT obj_description(to_regclass('pg_catalog.gp_segment_configuration'), "
                     + "'pg_class')")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String resource(String name) {
        try (InputStream in = CatalogViews.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
