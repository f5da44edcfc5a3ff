package dev.tandem.fts;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import java.util.List;

/** The full new catalog rows of a pair for each transition FTS makes; the only place FTS builds rows. */
final class PairTransitions {

    private PairTransitions() {
    }

    /** (u,n / d,n): the primary keeps WAL in the mirror's slot. */
    static List<Segment> mirrorDown(SegmentPair pair) {
        Segment m = pair.mirror().orElseThrow();
        return List.of(pair.primary().withStatus(Status.UP).withMode(Mode.NOT_SYNCED),
                m.withStatus(Status.DOWN).withMode(Mode.NOT_SYNCED));
    }

    /** (u,s / u,s). */
    static List<Segment> inSync(SegmentPair pair) {
        Segment m = pair.mirror().orElseThrow();
        return List.of(pair.primary().withStatus(Status.UP).withMode(Mode.SYNCED),
                m.withStatus(Status.UP).withMode(Mode.SYNCED));
    }

    /** Roles swap in one write: [new primary p,u,n; old primary m,d,n]. */
    static List<Segment> promoted(SegmentPair pair) {
        Segment m = pair.mirror().orElseThrow();
        return List.of(m.withRole(Role.PRIMARY).withStatus(Status.UP).withMode(Mode.NOT_SYNCED),
                pair.primary().withRole(Role.MIRROR).withStatus(Status.DOWN).withMode(Mode.NOT_SYNCED));
    }
}
