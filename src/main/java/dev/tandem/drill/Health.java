package dev.tandem.drill;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import java.util.List;
import java.util.function.Predicate;

/** Whether the cluster is whole: every pair {@code (u,s)/(u,s)} and every instance's postmaster alive. */
final class Health {

    private Health() {
    }

    static boolean whole(List<Segment> config, Predicate<Segment> running) {
        for (Segment s : config) {
            if (s.content() < 0) continue;
            if (s.status() != Status.UP || s.mode() != Mode.SYNCED || !running.test(s)) return false;
        }
        return !config.isEmpty();
    }

    static boolean balanced(List<Segment> config) {
        return config.stream().filter(s -> s.content() >= 0).allMatch(Segment::inPreferredRole);
    }

    static String describe(List<Segment> config, Predicate<Segment> running) {
        StringBuilder sb = new StringBuilder();
        for (SegmentPair p : SegmentPair.of(config)) {
            sb.append(sb.isEmpty() ? "" : "  ").append(p.content()).append(':').append(row(p.primary(), running));
            p.mirror().ifPresent(m -> sb.append('/').append(row(m, running)));
        }
        return sb.toString();
    }

    private static String row(Segment s, Predicate<Segment> running) {
        return s.dbid() + "" + s.role().code() + s.status().code() + s.mode().code() + (running.test(s) ? "" : "!");
    }
}
