package dev.tandem.cluster.settings;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tandem config -c/-r/-s/-l} (Greenplum's gpconfig) on every instance, over SQL. Values are written with
 * {@code ALTER SYSTEM}, which PostgreSQL accepts on a hot standby too (it writes postgresql.auto.conf under its own
 * lock and checks the value, without WAL): mirrors and the standby coordinator get the same line as their partner,
 * so a promotion changes no setting, and the per-instance lines Tandem keeps in that file stay as they are.
 * <p>
 * Nothing is changed while a check fails: the name must be a setting Tandem does not own, every target instance must
 * be up and reachable, and PostgreSQL must accept the value (with set_config() in a rolled-back transaction on every
 * instance when a session may set it; otherwise the first ALTER SYSTEM of each value is that check). If an instance
 * refuses afterwards, the ones already changed get their previous line back.
 */
public final class ServerSettings {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSettings.class);

    /** One instance's part of a change. {@code refusal} present: PostgreSQL or the connection said no. */
    public record Applied(Segment instance, String value, Optional<String> previous, Optional<String> refusal) {
    }

    private final Cluster cluster;

    public ServerSettings(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The setting as the coordinator knows it; PostgreSQL's own message for a name it does not know. */
    public SettingInfo describe(String name) {
        try (Connection c = cluster.coordinatorConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, context, vartype, coalesce(unit, ''), "
                     + "short_desc FROM pg_settings WHERE name = lower(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return info(rs);
            }
            try (Statement st = c.createStatement()) {
                st.execute("SHOW " + identifier(name)); // a placeholder (custom.x) answers; an unknown name fails
            } catch (SQLException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            return new SettingInfo(name.toLowerCase(java.util.Locale.ROOT), "user", "string", "",
                    "a custom setting (no extension defines it on the coordinator)");
        } catch (SQLException e) {
            throw new ClusterException("the coordinator is not reachable: " + e.getMessage());
        }
    }

    public List<SettingInfo> list() {
        List<SettingInfo> out = new ArrayList<>();
        try (Connection c = cluster.coordinatorConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, context, vartype, coalesce(unit, ''), short_desc "
                     + "FROM pg_settings ORDER BY name")) {
            while (rs.next()) out.add(info(rs));
        } catch (SQLException e) {
            throw new ClusterException("the coordinator is not reachable: " + e.getMessage());
        }
        return out;
    }

    /** What the checks found, per instance: PostgreSQL refused the value, or the instance did not answer. */
    public record Checked(List<String> refused, List<String> unreachable) {
    }

    /** Checks every target without changing anything: it answers, and (when a session may) it takes the value. */
    public Checked check(SettingInfo s, SettingPlan plan) {
        List<String> refused = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (SettingPlan.Target t : plan.targets()) {
            try (Connection c = cluster.connect(t.instance())) {
                if (s.sessionSettable() && t.value() != null) {
                    c.setAutoCommit(false);
                    try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, true)")) {
                        ps.setString(1, s.name());
                        ps.setString(2, t.value());
                        ps.executeQuery().close();
                    } catch (SQLException e) {
                        refused.add(who(t.instance()) + ": " + e.getMessage());
                    } finally {
                        c.rollback();
                    }
                }
            } catch (SQLException e) {
                unreachable.add(who(t.instance()) + ": " + e.getMessage());
            }
        }
        return new Checked(refused, unreachable);
    }

    /**
     * ALTER SYSTEM SET (or RESET, for a null value) on every target, in the plan's order. On the first refusal the
     * instances already changed get their previous line back, and the rest are not touched.
     */
    public List<Applied> apply(SettingInfo s, SettingPlan plan, Consumer<String> progress) {
        List<Applied> done = new ArrayList<>();
        for (SettingPlan.Target t : plan.targets()) {
            Applied a = applyOne(s.name(), t);
            done.add(a);
            if (a.refusal().isPresent()) {
                undo(s.name(), done, progress);
                return done;
            }
        }
        return done;
    }

    private Applied applyOne(String name, SettingPlan.Target t) {
        Optional<String> previous = Optional.empty();
        try (Connection c = cluster.connect(t.instance()); Statement st = c.createStatement()) {
            previous = autoConfValue(c, name);
            st.execute(t.value() == null ? "ALTER SYSTEM RESET " + identifier(name)
                    : "ALTER SYSTEM SET " + identifier(name) + " TO " + literal(c, t.value()));
            LOG.info("[{}] {} {} in postgresql.auto.conf (was {})", t.instance().subject(), name,
                    t.value() == null ? "reset" : "set to " + t.value(), previous.orElse("not set there"));
            return new Applied(t.instance(), t.value(), previous, Optional.empty());
        } catch (SQLException e) {
            return new Applied(t.instance(), t.value(), previous, Optional.of(e.getMessage()));
        }
    }

    private void undo(String name, List<Applied> done, Consumer<String> progress) {
        for (Applied a : done) {
            if (a.refusal().isPresent()) continue;
            Applied back = applyOne(name, new SettingPlan.Target(a.instance(), a.previous().orElse(null)));
            progress.accept(who(a.instance()) + ": " + (back.refusal().isEmpty()
                    ? "put back " + (a.previous().map(v -> name + " = " + v).orElse("(no line)"))
                    : "COULD NOT put back its previous line: " + back.refusal().get()));
        }
    }

    /** Each instance's value of {@code name} as a new session sees it, or why it could not be read. */
    public Map<Segment, String> show(String name, List<Segment> config) {
        Map<Segment, String> out = new LinkedHashMap<>();
        for (Segment s : config) {
            try (Connection c = cluster.connect(s);
                 PreparedStatement ps = c.prepareStatement("SELECT current_setting(?), coalesce((SELECT "
                         + "pending_restart FROM pg_settings WHERE name = lower(?)), false)")) {
                ps.setString(1, name);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.put(s, rs.getString(1) + (rs.getBoolean(2) ? " (a new value waits for a restart)" : ""));
                }
            } catch (SQLException e) {
                out.put(s, "NOT READ: " + e.getMessage());
            }
        }
        return out;
    }

    /** The line ALTER SYSTEM keeps for {@code name}, if any (pg_file_settings reads the files as they are now). */
    private static Optional<String> autoConfValue(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT setting FROM pg_file_settings WHERE name = lower(?) "
                + "AND sourcefile = current_setting('data_directory') || '/postgresql.auto.conf' "
                + "ORDER BY seqno DESC LIMIT 1")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** A setting name as SQL: checked, never quoted into something else. */
    static String identifier(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?")) {
            throw new IllegalArgumentException("'" + name + "' is not a setting name");
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    /** A value as an SQL string literal, quoted by PostgreSQL itself. */
    private static String literal(Connection c, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_literal(?)")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    public static String who(Segment s) {
        String role = s.content() == Segment.COORDINATOR_CONTENT
                ? (s.isMirror() ? "standby coordinator" : "coordinator") : (s.isPrimary() ? "primary" : "mirror");
        return s.subject() + " " + role + " " + s.location();
    }

    private static SettingInfo info(ResultSet rs) throws SQLException {
        return new SettingInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
    }
}
