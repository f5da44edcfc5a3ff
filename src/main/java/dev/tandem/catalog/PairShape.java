package dev.tandem.catalog;

import java.util.List;
import java.util.Optional;

/**
 * What one content's rows look like, for {@link TransitionTable}: the three pair states of invariant 2, an unmirrored
 * content, or no rows at all (before {@code tandem init} wrote them).
 */
public enum PairShape {
    NONE("none", "no rows"),
    UNMIRRORED("unmirrored", "u,* / -"),
    IN_SYNC("in-sync", "u,s / u,s"),
    CATCHING_UP("catching-up", "u,n / u,n"),
    MIRROR_DOWN("mirror-down", "u,n / d,n");

    public final String label;
    /** primary status,mode / mirror status,mode, as gp_segment_configuration shows them. */
    public final String codes;

    PairShape(String label, String codes) {
        this.label = label;
        this.codes = codes;
    }

    /** The shape of one content's rows; empty when they form none (two primaries, or an invalid pair state). */
    public static Optional<PairShape> of(List<Segment> rows) {
        if (rows.isEmpty()) return Optional.of(NONE);
        List<Segment> primaries = rows.stream().filter(Segment::isPrimary).toList();
        List<Segment> mirrors = rows.stream().filter(Segment::isMirror).toList();
        if (primaries.size() != 1 || mirrors.size() > 1) return Optional.empty();
        if (mirrors.isEmpty()) return Optional.of(UNMIRRORED);
        return PairState.of(primaries.get(0), mirrors.get(0)).map(s -> switch (s) {
            case IN_SYNC -> IN_SYNC;
            case CATCHING_UP -> CATCHING_UP;
            case MIRROR_DOWN -> MIRROR_DOWN;
        });
    }
}
