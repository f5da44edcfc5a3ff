package dev.tandem.topology;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ListeningPorts;
import dev.tandem.cluster.OperationLock;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.recovery.Place;
import dev.tandem.recovery.ProgressDisplay;
import dev.tandem.recovery.RecoverConfig;
import dev.tandem.recovery.RecoverConfigException;
import dev.tandem.recovery.RecoveryExecutor;
import dev.tandem.recovery.RecoveryOptions;
import dev.tandem.recovery.RecoveryRequest;
import dev.tandem.recovery.RecoveryType;
import dev.tandem.recovery.SegmentRecovery;
import dev.tandem.time.Time;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code tandem addmirrors}: adds the planned mirror rows (down, not in sync) and builds each mirror by a full
 * recovery in place, the same code as {@code recoverseg -F}: a slot on the primary, {@code pg_basebackup} through it,
 * and only when the copy streams is the mirror named the primary's synchronous standby, so no commit waits for a
 * mirror that is still copying.
 *
 * <p>A journal table ({@code tandem.addmirrors_journal}) names the mirrors a run added: its row is written before the
 * catalog row, and removed once that mirror is up. A run killed half-way is re-run as it was: the journal's mirrors
 * that are still down are built first, then any content still without a mirror gets one.
 */
public final class MirrorAdder {

    private final Cluster cluster;
    private final Consumer<String> out;
    private final Time time;
    private final ProgressDisplay display;

    public MirrorAdder(Cluster cluster, Consumer<String> out, Time time, ProgressDisplay display) {
        this.cluster = cluster;
        this.out = out;
        this.time = time;
        this.display = display;
    }

    /** What a run would do now: the journal's unfinished mirrors and the new ones. */
    public record Plan(List<Segment> resumed, List<Segment> added) {
        public boolean isEmpty() {
            return resumed.isEmpty() && added.isEmpty();
        }

        public List<Segment> all() {
            List<Segment> a = new ArrayList<>(resumed);
            a.addAll(added);
            return a;
        }

        public String text() {
            StringBuilder sb = new StringBuilder();
            if (isEmpty()) return "every content has a mirror: nothing to add\n";
            for (Segment m : resumed) sb.append(line("resume (added by an earlier run, still down)", m));
            for (Segment m : added) sb.append(line("add", m));
            return sb.toString();
        }

        private static String line(String what, Segment m) {
            return String.format("%-44s content %-4d dbid %-4d %s|%d|%s%n", what, m.content(), m.dbid(), m.address(),
                    m.port(), m.datadir());
        }
    }

    /**
     * The plan with every check the run makes before it changes anything: ports free and directories absent or
     * empty on the mirrors' hosts. Takes no lock; refused when another operation holds it.
     */
    public Plan dryRun(Function<List<Segment>, List<Segment>> planner) throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            OperationLock.requireFree(c);
            createJournal(c);
            return plan(c, planner);
        }
    }

    /**
     * Adds and builds the mirrors. {@code confirm} sees the plan (made under the operation lock) and may decline;
     * nothing is changed before it agrees.
     *
     * @return the recoveries that built the mirrors; empty when there was nothing to do or the caller declined
     */
    public List<SegmentRecovery> run(Function<List<Segment>, List<Segment>> planner, RecoveryOptions options,
                                     Predicate<Plan> confirm) throws SQLException {
        Plan plan;
        try (Connection c = cluster.coordinatorConnection()) {
            OperationLock.hold(c, "tandem addmirrors (pid " + ProcessHandle.current().pid() + ")");
            createJournal(c);
            plan = plan(c, planner);
            if (plan.isEmpty()) {
                out.accept("every content has a mirror: nothing to add");
                return List.of();
            }
            if (!confirm.test(plan)) return List.of();
            if (!plan.added().isEmpty()) {
                // the places the operator named become the cluster's directories, as recoverseg -i's new places do:
                // root may then build (and one day remove) them, and nothing else a catalog row points at
                cluster.recordRoots(plan.added().stream().map(Segment::datadir).toList(), CatalogStore.read(c));
                journal(c, plan.added());
                Map<Integer, String> reasons = new LinkedHashMap<>();
                for (Segment m : plan.added()) {
                    reasons.put(m.dbid(), "tandem addmirrors: mirror for content " + m.content() + " added at "
                            + m.address() + ":" + m.port() + " " + m.datadir() + ", down until built");
                }
                CatalogStore.apply(c, plan.added(), reasons);
                for (Segment m : plan.added()) {
                    out.accept("content " + m.content() + ": mirror dbid " + m.dbid() + " added to the catalog at "
                            + m.address() + ":" + m.port() + " " + m.datadir() + " (down until built)");
                }
            }
        } // the lock is let go here: the recovery takes it again for itself
        List<RecoverConfig.Entry> entries = new ArrayList<>();
        int line = 1;
        for (Segment m : plan.all()) {
            entries.add(new RecoverConfig.Entry(line++, Optional.of(RecoveryType.FULL), Place.of(m), Optional.empty()));
        }
        List<SegmentRecovery> done = new RecoveryExecutor(cluster, out, time, display).run(
                RecoveryRequest.of(RecoveryType.FULL, new RecoverConfig(entries), "tandem addmirrors"), options, p -> true);
        try (Connection c = cluster.coordinatorConnection()) {
            settleJournal(c);
        }
        return done;
    }

    private Plan plan(Connection c, Function<List<Segment>, List<Segment>> planner) throws SQLException {
        List<Segment> catalog = CatalogStore.read(c);
        List<Segment> resumed = new ArrayList<>();
        Set<Integer> journal = settleJournal(c);
        for (Segment s : catalog) {
            if (journal.contains(s.dbid()) && s.status() == Status.DOWN) resumed.add(s);
        }
        // the planner sees the catalog without the mirrors still to build, so that the same input re-run plans them
        // again (at the same places: anything else is refused, the earlier run's mirror is not silently moved)
        Set<Integer> resumedDbids = new TreeSet<>();
        resumed.forEach(r -> resumedDbids.add(r.dbid()));
        List<Segment> planned = planner.apply(catalog.stream().filter(s -> !resumedDbids.contains(s.dbid())).toList());
        List<Segment> added = new ArrayList<>();
        int nextDbid = catalog.stream().mapToInt(Segment::dbid).max().orElse(0) + 1;
        for (Segment p : planned) {
            Optional<Segment> earlier = resumed.stream().filter(r -> r.content() == p.content()).findFirst();
            if (earlier.isEmpty()) {
                added.add(p.withDbid(nextDbid++));
            } else if (!Place.of(earlier.get()).equals(Place.of(p))) {
                throw new RecoverConfigException("cannot add mirrors (nothing was changed)", List.of("content "
                        + p.content() + ": an earlier run added its mirror at " + Place.of(earlier.get()) + " and did not "
                        + "finish; re-run with the same places (this run plans " + Place.of(p) + ")"));
            }
        }
        List<String> problems = problems(added);
        if (!problems.isEmpty()) throw new RecoverConfigException("cannot add mirrors (nothing was changed)", problems);
        return new Plan(List.copyOf(resumed), added);
    }

    /** Ports taken and directories in use on the new mirrors' hosts. */
    private List<String> problems(List<Segment> mirrors) {
        List<String> problems = new ArrayList<>();
        Map<String, ListeningPorts> listening = new HashMap<>();
        for (Segment m : mirrors) {
            ListeningPorts ports = listening.computeIfAbsent(m.address(), this::listening);
            if (ports.taken(Set.of(m.address()), m.port())) {
                problems.add("content " + m.content() + ": port " + m.port() + " is in use on " + m.address());
            }
            if (!cluster.files().absentOrEmptyDir(m.address(), Path.of(m.datadir()))) {
                problems.add("content " + m.content() + ": " + m.address() + ":" + m.datadir()
                        + " exists and is not empty (tandem never removes what it did not make)");
            }
        }
        return problems;
    }

    private ListeningPorts listening(String host) {
        CommandResult res = cluster.runner().run(Command.of(host, Duration.ofSeconds(10), List.of("ss", "-Hltn")));
        if (!res.ok()) throw new RecoverConfigException("cannot add mirrors (nothing was changed)",
                List.of("cannot list the listening ports on " + host + ": " + res.stderr().strip()));
        return ListeningPorts.parse(res.stdout());
    }

    static void createJournal(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS tandem.addmirrors_journal (dbid int PRIMARY KEY, content int NOT NULL, "
                    + "added timestamptz NOT NULL DEFAULT now())");
        }
    }

    private static void journal(Connection c, List<Segment> added) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tandem.addmirrors_journal (dbid, content) VALUES (?, ?) ON CONFLICT (dbid) DO NOTHING")) {
            for (Segment m : added) {
                ps.setInt(1, m.dbid());
                ps.setInt(2, m.content());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Drops the journal's rows whose mirror is built (up) or was never written to the catalog (a run killed between
     * the two writes); returns the dbids left: mirrors added and still to build.
     */
    static Set<Integer> settleJournal(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM tandem.addmirrors_journal j WHERE NOT EXISTS (SELECT 1 FROM tandem.gp_segment_configuration s "
                    + "WHERE s.dbid = j.dbid AND s.content = j.content AND s.status = 'd')");
            Set<Integer> left = new TreeSet<>();
            try (ResultSet rs = st.executeQuery("SELECT dbid FROM tandem.addmirrors_journal")) {
                while (rs.next()) left.add(rs.getInt(1));
            }
            return left;
        }
    }
}
