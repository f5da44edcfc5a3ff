package dev.tandem.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one placement rule for a new place of an instance (init, initstandby, recoverseg {@code -i} and {@code -p}):
 * on the same host, no other instance may have its port, its data directory, a data directory inside it, or a data
 * directory that contains it. A directory inside another one would be copied, rsynced over, emptied or removed along
 * with it. Pure: callers resolve every directory to its real path on its host first, so that a symbolic link cannot
 * hide a nesting; the rule only normalises.
 */
public final class PlaceConflicts {

    private PlaceConflicts() {
    }

    /**
     * An instance's place as compared. {@code given} is the path as the catalog, a flag or a file names it, {@code real}
     * the path it resolves to on its host (the same when nothing was resolved). {@code who} names the instance in a
     * message: "mirror content 2 (dbid 7)".
     */
    public record Occupant(String hostname, String address, int port, Path given, Path real, String who) {

        public Occupant {
            Objects.requireNonNull(hostname);
            Objects.requireNonNull(address);
            given = given.normalize();
            real = real.normalize();
            Objects.requireNonNull(who);
        }

        /** A catalog row at its own path, resolved to {@code real}. */
        public static Occupant of(Segment s, Path real) {
            return new Occupant(s.hostname(), s.address(), s.port(), Path.of(s.datadir()), real, describe(s));
        }

        /** A catalog row at its path as written (no resolution). */
        public static Occupant of(Segment s) {
            return of(s, Path.of(s.datadir()));
        }

        /** One host: the same address, or the same host name (one machine reached by several addresses). */
        boolean sameHost(Occupant o) {
            return address.equals(o.address) || hostname.equals(o.hostname);
        }

        String shown() {
            return given.equals(real) ? given.toString() : given + " (real path " + real + ")";
        }
    }

    /** Every conflict of {@code candidate} with {@code others}, in their order; empty when the place is free. */
    public static List<String> conflicts(Occupant candidate, List<Occupant> others) {
        List<String> out = new ArrayList<>();
        for (Occupant o : others) {
            if (!candidate.sameHost(o)) continue;
            String on = " on host " + candidate.address();
            if (o.port() == candidate.port()) {
                out.add("port " + candidate.port() + on + " is used by " + o.who());
            }
            Path c = candidate.real();
            Path d = o.real();
            if (c.equals(d)) {
                out.add("data directory " + candidate.shown() + on + " is the data directory of " + o.who()
                        + (o.given().equals(c) ? "" : " (" + o.shown() + ")"));
            } else if (c.startsWith(d)) {
                out.add("data directory " + candidate.shown() + on + " lies inside " + o.shown()
                        + ", the data directory of " + o.who());
            } else if (d.startsWith(c)) {
                out.add("data directory " + candidate.shown() + on + " contains " + o.shown()
                        + ", the data directory of " + o.who());
            }
        }
        return out;
    }

    /** "the coordinator", "the standby coordinator", "primary content 0 (dbid 2)", "mirror content 2 (dbid 7)". */
    public static String describe(Segment s) {
        if (s.content() == Segment.COORDINATOR_CONTENT) {
            return s.isPrimary() ? "the coordinator" : "the standby coordinator";
        }
        return (s.isPrimary() ? "primary" : "mirror") + " content " + s.content() + " (dbid " + s.dbid() + ")";
    }
}
