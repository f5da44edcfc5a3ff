package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import dev.tandem.time.Poll;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code tandem stop -u} (Greenplum's {@code gpstop -u}): every running instance re-reads its configuration files
 * without a restart. Done over SQL ({@code pg_reload_conf()}, which a hot standby accepts too), then confirmed: a new
 * session must see {@code pg_conf_load_time()} move past the one before, so that what is reported afterwards is the
 * reloaded state, not the old one. Reported per instance: the settings that changed in a file but need a restart
 * ({@code pg_settings.pending_restart}) and the other lines PostgreSQL could not apply ({@code pg_file_settings.error},
 * with file and line; it says only "setting could not be applied": the reason is in that instance's server log).
 */
public final class ConfigReload {

    /** How long an instance may take to process the reload signal. */
    static final Duration CONFIRM_WITHIN = Duration.ofSeconds(10);

    /** One instance's reload. {@code failure} present: it was not reloaded (down, refused, not confirmed). */
    public record Outcome(Segment instance, Optional<String> failure, List<String> pendingRestart,
                          List<String> fileErrors) {

        public Outcome {
            pendingRestart = List.copyOf(pendingRestart);
            fileErrors = List.copyOf(fileErrors);
        }

        static Outcome failed(Segment s, String why) {
            return new Outcome(s, Optional.of(why), List.of(), List.of());
        }

        /** Reloaded, and every line of its files applied or waiting only for a restart. */
        public boolean clean() {
            return failure.isEmpty() && fileErrors.isEmpty();
        }

        /** One line for the operator. */
        public String line() {
            String role = instance.isCoordinator() ? "coordinator" : ClusterLifecycle.roleName(instance);
            String who = instance.subject() + " " + role + " " + instance.location();
            if (failure.isPresent()) return who + ": NOT reloaded: " + failure.get();
            StringBuilder b = new StringBuilder(who).append(": reloaded");
            if (!pendingRestart.isEmpty()) {
                b.append("; needs a restart to apply: ").append(String.join(", ", pendingRestart));
            }
            for (String e : fileErrors) b.append("; not applied: ").append(e);
            if (!fileErrors.isEmpty()) b.append(" (the reason is in its server log)");
            return b.toString();
        }
    }

    private final Cluster cluster;
    private final Time time;

    public ConfigReload(Cluster cluster, Time time) {
        this.cluster = cluster;
        this.time = time;
    }

    /** Reloads every instance of {@code config} in parallel; one outcome each, in the order given. */
    public List<Outcome> reload(List<Segment> config, int parallel) {
        ConcurrentHashMap<Integer, Outcome> done = new ConcurrentHashMap<>();
        Steps.parallel(config, Math.max(1, parallel), s -> done.put(s.dbid(), reloadOne(s)), Segment::subject);
        List<Outcome> out = new ArrayList<>();
        for (Segment s : config) out.add(done.get(s.dbid()));
        return out;
    }

    Outcome reloadOne(Segment s) {
        Timestamp before;
        try (Connection c = cluster.connect(s); Statement st = c.createStatement()) {
            before = loadTime(st);
            try (ResultSet rs = st.executeQuery("SELECT pg_reload_conf()")) {
                rs.next();
                if (!rs.getBoolean(1)) return Outcome.failed(s, "pg_reload_conf() returned false");
            }
        } catch (SQLException e) {
            return Outcome.failed(s, "cannot connect or signal: " + e.getMessage());
        }
        AtomicReference<Outcome> seen = new AtomicReference<>();
        try {
            boolean confirmed = new Poll(time, Duration.ofMillis(50)).until(() -> {
                // a new session: its backend starts from the postmaster's state, which is what the reload changed
                try (Connection c = cluster.connect(s); Statement st = c.createStatement()) {
                    if (!loadTime(st).after(before)) return false;
                    seen.set(new Outcome(s, Optional.empty(), column(st, "SELECT name FROM pg_settings "
                            + "WHERE pending_restart ORDER BY name"), column(st, "SELECT sourcefile || ':' || "
                            + "sourceline || ': ' || coalesce(name || ': ', '') || error FROM pg_file_settings "
                            + "WHERE error IS NOT NULL AND (name IS NULL OR name NOT IN (SELECT name FROM pg_settings "
                            + "WHERE pending_restart)) ORDER BY sourcefile, sourceline")));
                    return true;
                }
            }, CONFIRM_WITHIN);
            if (!confirmed) {
                return Outcome.failed(s, "signalled, but it had not re-read its configuration after "
                        + CONFIRM_WITHIN.toSeconds() + " s");
            }
        } catch (SQLException e) {
            return Outcome.failed(s, "signalled, but reading its state afterwards failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed(s, "interrupted");
        }
        return seen.get();
    }

    private static Timestamp loadTime(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT pg_conf_load_time()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    private static List<String> column(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
