package dev.tandem.catalog;

import java.util.Objects;
import java.util.Optional;

/** The rows of one content: its acting primary and, when mirrored, its mirror. */
public record SegmentPair(int content, Segment primary, Optional<Segment> mirror) {

    public SegmentPair {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(mirror, "mirror");
    }

    public static SegmentPair of(Segment primary, Segment mirror) {
        return new SegmentPair(primary.content(), primary, Optional.ofNullable(mirror));
    }

    /** Present only when the pair is mirrored and its rows form one of the valid states. */
    public Optional<PairState> state() {
        return mirror.flatMap(m -> PairState.of(primary, m));
    }

    public boolean inSync() {
        return state().filter(s -> s == PairState.IN_SYNC).isPresent();
    }

    /** The segment pairs of a configuration (content >= 0), by content. */
    public static java.util.List<SegmentPair> of(java.util.List<Segment> config) {
        java.util.Map<Integer, Segment> primaries = new java.util.TreeMap<>();
        java.util.Map<Integer, Segment> mirrors = new java.util.TreeMap<>();
        for (Segment s : config) {
            if (s.content() < 0) continue;
            (s.isPrimary() ? primaries : mirrors).put(s.content(), s);
        }
        java.util.List<SegmentPair> out = new java.util.ArrayList<>();
        primaries.forEach((c, p) -> out.add(of(p, mirrors.get(c))));
        return out;
    }

    public boolean rolesSwitched() {
        return !primary.inPreferredRole();
    }
}
