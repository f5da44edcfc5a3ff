package dev.tandem.state;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * gpstate -i: the server version of every instance, coordinator and standby first. An instance that does not
 * answer is a marked row; the closing line says whether all agree. Exit 0, as gpstate -i.
 */
public final class VersionReport {

    private VersionReport() {
    }

    public static Rendered collectAndRender(Cluster cluster, Duration timeout, TextStyle style) {
        StateReport report = StateCollector.of(cluster, timeout).collect(true);
        if (!(report instanceof StateReport.Available a)) {
            return StateRenderer.render(report, StateView.BRIEF, OutputFormat.TEXT, style);
        }
        Map<Integer, BoundedCalls.Call<String>> calls = new LinkedHashMap<>();
        for (Segment s : a.segments()) {
            if (!s.isUp()) continue; // as gpstate -i: a down instance is not asked
            calls.put(s.dbid(), resources -> {
                try (Connection c = resources.register(cluster.connector().open(s.address(), s.port(), timeout));
                     Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version()")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
        }
        Map<Integer, Optional<String>> versions = new LinkedHashMap<>();
        new BoundedCalls(Time.SYSTEM::nanoTime).all(calls, timeout)
                .forEach((dbid, o) -> versions.put(dbid, o.ok() ? Optional.ofNullable(o.value()) : Optional.empty()));
        return new Rendered(text(a.segments(), versions).render(style), Rendered.OK);
    }

    /** Pure: the rows and closing lines for the instances and the versions they gave (absent: none). */
    static TextLines text(List<Segment> segments, Map<Integer, Optional<String>> versions) {
        TextLines out = new TextLines().info("Loading version information");
        TextTable t = new TextTable("Host", "Datadir", "Port", "Version");
        List<Segment> ordered = segments.stream()
                .sorted(Comparator.comparingInt(Segment::content).thenComparing(s -> s.preferredRole().code(),
                        Comparator.reverseOrder())).toList();
        long missing = 0;
        for (Segment s : ordered) {
            Optional<String> v = versions.getOrDefault(s.dbid(), Optional.empty());
            if (v.isPresent()) {
                t.row(s.hostname(), s.datadir(), Integer.toString(s.port()), v.get());
            } else {
                missing++;
                t.flaggedRow(s.hostname(), s.datadir(), Integer.toString(s.port()), "unable to retrieve version");
            }
        }
        out.table("   ", t);
        long distinct = versions.values().stream().flatMap(Optional::stream).distinct().count();
        if (distinct > 1) out.warn("Versions for some segments do not match.  Review table above for details.");
        if (missing > 0) out.warn("Unable to retrieve version data from all segments.  Review table above for details.");
        if (distinct == 1 && missing == 0) out.info("All segments are running the same software version");
        return out;
    }
}
