package dev.tandem.catalog;

import java.util.List;
import java.util.Objects;

/** Which instances a content's rows name before and after a write, and in which roles. */
public enum Movement {
    /** The same instances, at the same places, in the same roles: only status or mode changed. */
    KEPT("same roles"),
    /** Primary and mirror exchanged roles (a failover or a switchover). */
    SWAPPED("roles swapped"),
    /** The mirror row moved to a new place (recoverseg to a new host, port or directory). */
    MIRROR_MOVED("mirror moved"),
    /** A mirror row appeared beside a primary that had none ({@code tandem addmirrors}). */
    MIRROR_ADDED("mirror added"),
    /** The content's rows were written for the first time. */
    CREATED("created"),
    /** Anything else: rows removed, instances replaced, a primary moved. */
    OTHER("other");

    public final String label;

    Movement(String label) {
        this.label = label;
    }

    /** How {@code before} became {@code after}, both the rows of one content. */
    public static Movement of(List<Segment> before, List<Segment> after) {
        if (before.isEmpty()) return after.isEmpty() ? OTHER : CREATED;
        Segment p0 = role(before, Role.PRIMARY);
        Segment m0 = role(before, Role.MIRROR);
        Segment p1 = role(after, Role.PRIMARY);
        Segment m1 = role(after, Role.MIRROR);
        if (p0 != null && p1 != null && m0 == null && m1 != null && samePlace(p0, p1)) return MIRROR_ADDED;
        if (p0 == null || p1 == null || (m0 == null) != (m1 == null)) return OTHER;
        if (m0 == null) return samePlace(p0, p1) ? KEPT : OTHER;
        if (samePlace(p0, p1) && samePlace(m0, m1)) return KEPT;
        if (samePlace(p0, p1) && m0.dbid() == m1.dbid() && m0.preferredRole() == m1.preferredRole()) return MIRROR_MOVED;
        if (samePlace(p0, m1) && samePlace(m0, p1)) return SWAPPED;
        return OTHER;
    }

    private static Segment role(List<Segment> rows, Role r) {
        return rows.stream().filter(s -> s.role() == r).findFirst().orElse(null);
    }

    /** The same instance: dbid, preferred role and place unchanged (role, status and mode may differ). */
    private static boolean samePlace(Segment a, Segment b) {
        return a.dbid() == b.dbid() && a.preferredRole() == b.preferredRole() && a.port() == b.port()
                && Objects.equals(a.hostname(), b.hostname()) && Objects.equals(a.address(), b.address())
                && Objects.equals(a.datadir(), b.datadir());
    }
}
