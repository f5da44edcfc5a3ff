package dev.tandem.cluster.placement;

import dev.tandem.catalog.Segment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Last-line checks over planned rows: whatever the spec said, no two instances may collide. */
final class PlacementChecks {

    private PlacementChecks() {
    }

    static void requireDistinctPlaces(List<Segment> rows) {
        Map<String, Segment> byPort = new HashMap<>();
        for (Segment s : rows) {
            Segment other = byPort.putIfAbsent(s.hostname() + ":" + s.port(), s);
            if (other != null) {
                throw new PlacementException("port clash on host " + s.hostname() + ": port " + s.port()
                        + " is used by " + describe(other) + " and " + describe(s));
            }
        }
        for (int a = 0; a < rows.size(); a++) {
            for (int b = a + 1; b < rows.size(); b++) {
                checkDatadirs(rows.get(a), rows.get(b));
            }
        }
    }

    // A data directory inside another one would be wiped or copied along with it by initdb, rsync or pg_basebackup.
    private static void checkDatadirs(Segment x, Segment y) {
        if (!x.hostname().equals(y.hostname())) return;
        Path px = Path.of(x.datadir()).normalize();
        Path py = Path.of(y.datadir()).normalize();
        if (px.equals(py)) {
            throw new PlacementException("data directory clash on host " + x.hostname() + ": " + px
                    + " is used by " + describe(x) + " and " + describe(y));
        }
        if (px.startsWith(py) || py.startsWith(px)) {
            throw new PlacementException("data directory clash on host " + x.hostname() + ": " + px + " ("
                    + describe(x) + ") and " + py + " (" + describe(y) + ") are nested");
        }
    }

    static void requirePairsOnDifferentHosts(List<Segment> rows) {
        Map<Integer, Segment> primaries = new HashMap<>();
        for (Segment s : rows) {
            if (s.isPrimary()) primaries.put(s.content(), s);
        }
        for (Segment m : rows) {
            if (!m.isMirror()) continue;
            Segment p = primaries.get(m.content());
            if (p != null && Objects.equals(p.hostname(), m.hostname())) {
                throw new PlacementException("content " + m.content() + ": primary and mirror both on host "
                        + m.hostname());
            }
        }
    }

    static String describe(Segment s) {
        if (s.content() == Segment.COORDINATOR_CONTENT) return s.isPrimary() ? "the coordinator" : "the standby coordinator";
        return (s.isPrimary() ? "primary" : "mirror") + " content " + s.content() + " (dbid " + s.dbid() + ")";
    }
}
