package dev.tandem.cluster;

import dev.tandem.catalog.PlaceConflicts;
import dev.tandem.catalog.Segment;
import dev.tandem.host.HostException;
import dev.tandem.host.HostFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PlaceConflicts} on real paths: every directory involved is resolved on its own host (as the OS user sees it)
 * before the rule compares them. Used wherever a place is chosen: init, initstandby, recoverseg {@code -i} and
 * {@code -p} (and recoverseg's in-place targets, which a planted catalog path could have nested).
 */
public final class PlaceCheck {

    /**
     * An instance at the place it is about to take: {@code row} carries the new place and the dbid whose catalog row
     * it replaces (that row is not a conflict: moving away from one's own place is no clash). {@code label} starts
     * each message about it, e.g. "recover.conf:3: new place h|7001|/d".
     */
    public record Candidate(Segment row, String label) {
    }

    private final HostFiles files;

    public PlaceCheck(HostFiles files) {
        this.files = files;
    }

    /** Every conflict of each candidate with the catalog (but its own row) and with the candidates before it. */
    public List<String> conflicts(List<Segment> catalog, List<Candidate> candidates) {
        if (candidates.isEmpty()) return List.of();
        List<Segment> relevant = catalog.stream().filter(s -> candidates.stream().anyMatch(c -> sameHost(c.row(), s)))
                .toList();
        List<Segment> all = new ArrayList<>(relevant);
        candidates.forEach(c -> all.add(c.row()));
        Map<Segment, Path> real = resolve(all);
        List<PlaceConflicts.Occupant> placed = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (Candidate c : candidates) {
            List<PlaceConflicts.Occupant> others = new ArrayList<>();
            relevant.stream().filter(s -> s.dbid() != c.row().dbid())
                    .forEach(s -> others.add(PlaceConflicts.Occupant.of(s, real.get(s))));
            others.addAll(placed);
            PlaceConflicts.Occupant me = PlaceConflicts.Occupant.of(c.row(), real.get(c.row()));
            PlaceConflicts.conflicts(me, others).forEach(m -> out.add(c.label() + ": " + m));
            if (catalog.contains(c.row())) continue; // in place: already among the catalog's rows
            placed.add(new PlaceConflicts.Occupant(me.hostname(), me.address(), me.port(), me.given(), me.real(),
                    "the new place of " + me.who()));
        }
        return out;
    }

    private static boolean sameHost(Segment a, Segment b) {
        return a.address().equals(b.address()) || a.hostname().equals(b.hostname());
    }

    /** One realpath call per host; a host that cannot answer leaves its paths as written (normalised). */
    private Map<Segment, Path> resolve(List<Segment> rows) {
        Map<String, List<Segment>> byHost = new LinkedHashMap<>();
        rows.forEach(s -> byHost.computeIfAbsent(s.address(), h -> new ArrayList<>()).add(s));
        Map<Segment, Path> out = new HashMap<>();
        for (Map.Entry<String, List<Segment>> e : byHost.entrySet()) {
            List<Path> given = e.getValue().stream().map(s -> Path.of(s.datadir())).toList();
            List<Path> real;
            try {
                real = files.realPaths(e.getKey(), given);
            } catch (HostException ex) {
                real = given.stream().map(Path::normalize).toList();
            }
            for (int i = 0; i < given.size(); i++) out.put(e.getValue().get(i), real.get(i));
        }
        return out;
    }
}
