package dev.tandem.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a whole configuration against the invariants of ARCHITECTURE.md (1 and 2). Every catalog write checks
 * the configuration it would produce and refuses on the first violation.
 */
public final class Invariants {

    private Invariants() {
    }

    /** All violations, empty when the configuration is valid. */
    public static List<String> violations(List<Segment> config) {
        List<String> out = new ArrayList<>();
        Map<Integer, List<Segment>> byContent = new TreeMap<>();
        Map<Integer, Segment> byDbid = new TreeMap<>();
        for (Segment s : config) {
            byContent.computeIfAbsent(s.content(), c -> new ArrayList<>()).add(s);
            Segment prev = byDbid.put(s.dbid(), s);
            if (prev != null) out.add("dbid " + s.dbid() + " appears twice");
        }
        for (var e : byContent.entrySet()) {
            int content = e.getKey();
            List<Segment> rows = e.getValue();
            List<Segment> primaries = rows.stream().filter(Segment::isPrimary).toList();
            List<Segment> mirrors = rows.stream().filter(Segment::isMirror).toList();
            if (primaries.size() != 1) {
                out.add("content " + content + " has " + primaries.size() + " primaries (exactly one required)");
                continue;
            }
            if (mirrors.size() > 1) {
                out.add("content " + content + " has " + mirrors.size() + " mirrors (at most one allowed)");
                continue;
            }
            Segment p = primaries.get(0);
            if (mirrors.isEmpty()) continue; // unmirrored: nothing to pair-check
            Segment m = mirrors.get(0);
            if (p.hostname().equals(m.hostname()) && p.address().equals(m.address())) {
                out.add("content " + content + ": primary and mirror are both on host " + p.hostname());
            }
            if (content == Segment.COORDINATOR_CONTENT) continue; // the standby row has no pair modes to check
            if (PairState.of(p, m).isEmpty()) {
                out.add("content " + content + ": pair state " + p.status().code() + "," + p.mode().code() + " / "
                        + m.status().code() + "," + m.mode().code() + " is not one of (u,s / u,s), (u,n / u,n), (u,n / d,n)");
            }
        }
        return out;
    }

    public static void check(List<Segment> config) {
        List<String> v = violations(config);
        if (!v.isEmpty()) throw new InvariantViolation(String.join("; ", v));
    }
}
