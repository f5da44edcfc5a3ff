package dev.tandem.demo;

import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.Connector;
import dev.tandem.cluster.Secrets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * The demo's application: role {@code demo_app}, which knows only the coordinator. Its password is generated and
 * kept in {@code demo_app.pgpass} (0600, the OS user's) in the coordinator's data directory, for psql as well.
 */
final class DemoApp {

    static final String ROLE = "demo_app";
    static final String PASSFILE = "demo_app.pgpass";

    private final Cluster cluster;
    private final String password;

    private DemoApp(Cluster cluster, String password) {
        this.cluster = cluster;
        this.password = password;
    }

    static Path passfile(ClusterDescriptor d) {
        return d.datadir().resolve(PASSFILE);
    }

    /**
     * Creates the role with rights on {@code public.demo}: plain CREATE ROLE and GRANT on the coordinator. The demo's
     * spec admitted it at init from the coordinator's own address (where the demo's clients run).
     */
    static DemoApp create(Cluster cluster) throws SQLException {
        ClusterDescriptor d = cluster.descriptor();
        String password = Secrets.newPassword(); // letters and digits only: safe inside the SQL literal
        cluster.files().write(d.coordinatorAddress(), passfile(d), Secrets.pgpass(ROLE, password), "600");
        try (Connection c = cluster.coordinatorConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'");
            st.execute("GRANT SELECT, INSERT ON public.demo TO " + ROLE);
        }
        return new DemoApp(cluster, password);
    }

    /** The demo's application of a demo made before, if it has one. */
    static Optional<DemoApp> open(Cluster cluster) {
        ClusterDescriptor d = cluster.descriptor();
        try {
            if (!cluster.files().exists(d.coordinatorAddress(), passfile(d))) return Optional.empty();
            return Optional.of(new DemoApp(cluster,
                    Secrets.passwordFrom(cluster.files().read(d.coordinatorAddress(), passfile(d)))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Connection connect() throws SQLException {
        ClusterDescriptor d = cluster.descriptor();
        return new Connector(ROLE, password).open(d.coordinatorAddress(), d.coordinatorPort(), Duration.ofSeconds(5));
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    long count() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM demo")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
