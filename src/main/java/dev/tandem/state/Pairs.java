package dev.tandem.state;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import java.util.List;
import java.util.Optional;

/** The catalog rows as the collector needs them: who streams to whom, and which pairs may be catching up. */
final class Pairs {

    record Pair(int content, Segment primary, Segment mirror) {
    }

    private final List<Segment> segments;

    Pairs(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    /** The other instance of the same content (mirror of a primary, primary of a mirror, standby ↔ coordinator). */
    Optional<Segment> partner(Segment s) {
        return segments.stream().filter(o -> o.content() == s.content() && o.dbid() != s.dbid()).findFirst();
    }

    /** Segment pairs the catalog marks not in sync while their mirror is up: the ones a catch-up rate means something for. */
    List<Pair> catchingUp() {
        return segments.stream().filter(s -> s.content() >= 0 && s.isPrimary())
                .flatMap(p -> partner(p).filter(Segment::isMirror).filter(Segment::isUp)
                        .filter(m -> p.mode() != Mode.SYNCED || m.mode() != Mode.SYNCED)
                        .map(m -> new Pair(p.content(), p, m)).stream())
                .toList();
    }
}
