package dev.tandem.cluster.placement;

import dev.tandem.catalog.PlaceConflicts;
import dev.tandem.catalog.Segment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Last-line checks over planned rows: whatever the spec said, no two instances may collide. */
public final class PlacementChecks {

    private PlacementChecks() {
    }

    /**
     * The planned rows, each against the ones before it, by the one placement rule ({@link PlaceConflicts}): on the
     * paths as given (init resolves real paths on the hosts later, in its prechecks).
     */
    public static void requireDistinctPlaces(List<Segment> rows) {
        List<PlaceConflicts.Occupant> placed = new ArrayList<>();
        for (Segment s : rows) {
            PlaceConflicts.Occupant o = PlaceConflicts.Occupant.of(s);
            List<String> clash = PlaceConflicts.conflicts(o, placed);
            if (!clash.isEmpty()) {
                throw new PlacementException(describe(s) + " cannot be placed at " + s.location() + ": "
                        + String.join("; ", clash));
            }
            placed.add(o);
        }
    }

    public static void requirePairsOnDifferentHosts(List<Segment> rows) {
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
        return PlaceConflicts.describe(s);
    }
}
