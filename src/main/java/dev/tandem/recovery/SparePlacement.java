package dev.tandem.recovery;

import dev.tandem.catalog.PlaceConflicts;
import dev.tandem.catalog.Segment;
import java.nio.file.Path;
import dev.tandem.catalog.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code -p HOST[,HOST]}: the failed instances of each failed host go to a spare host (the first failed host, by
 * lowest dbid, to the first spare, and so on), always in full. Each keeps its port if it is free on the spare host,
 * else takes the next free one; and its data directory path if that is free there, else the path with a suffix
 * {@code _r1}, {@code _r2}, ... (a directory is free when the placement rule finds no instance there, inside it or
 * around it). The result is a recover-config request, so the planner checks it like an {@code -i}
 * file. Pure: what is free beyond the catalog comes from {@link Availability}.
 */
public final class SparePlacement {

    /** What the spare hosts themselves say: a port something listens on, a directory that exists and is not empty. */
    public interface Availability {
        boolean portFree(String host, int port);

        boolean dirFree(String host, String datadir);

        Availability ALL_FREE = new Availability() {
            public boolean portFree(String host, int port) {
                return true;
            }

            public boolean dirFree(String host, String datadir) {
                return true;
            }
        };
    }

    static final int MAX_TRIES = 1000;

    private SparePlacement() {
    }

    /** The same directory as, inside, or holding another instance's on that host (by the placement rule). */
    private static boolean dirTaken(List<PlaceConflicts.Occupant> placed, String host, String dir) {
        PlaceConflicts.Occupant c = new PlaceConflicts.Occupant(host, host, -1, Path.of(dir), Path.of(dir), "");
        return !PlaceConflicts.conflicts(c, placed).isEmpty();
    }

    public static RecoveryRequest request(List<Segment> catalog, RecoveryRequest request, Availability free) {
        if (request.config().isPresent()) throw new IllegalArgumentException("-p and -i cannot be used together");
        Map<String, List<Segment>> byFailedHost = new LinkedHashMap<>();
        catalog.stream().filter(s -> s.content() >= 0 && s.status() == Status.DOWN)
                .sorted(java.util.Comparator.comparingInt(Segment::dbid))
                .forEach(s -> byFailedHost.computeIfAbsent(s.address(), h -> new ArrayList<>()).add(s));
        List<String> spares = request.spareHosts();
        if (spares.size() < byFailedHost.size()) {
            throw new RecoverConfigException("cannot plan the recovery (nothing was changed)", List.of(
                    byFailedHost.size() + " hosts have failed instances " + byFailedHost.keySet() + " but -p names "
                            + spares.size() + " spare " + (spares.size() == 1 ? "host" : "hosts") + " " + spares));
        }
        List<String> problems = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        List<PlaceConflicts.Occupant> placed = new ArrayList<>();
        catalog.forEach(s -> {
            taken.add(s.address() + ":" + s.port());
            placed.add(PlaceConflicts.Occupant.of(s));
        });
        List<RecoverConfig.Entry> entries = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<Segment>> failedHost : byFailedHost.entrySet()) {
            String spare = spares.get(i++);
            if (byFailedHost.containsKey(spare)) {
                problems.add("spare host " + spare + " has failed instances itself");
                continue;
            }
            for (Segment s : failedHost.getValue()) {
                int port = s.port();
                while (port <= 65535 && (taken.contains(spare + ":" + port) || !free.portFree(spare, port))) port++;
                String dir = s.datadir();
                for (int n = 1; n <= MAX_TRIES && (dirTaken(placed, spare, dir) || !free.dirFree(spare, dir)); n++) {
                    dir = s.datadir() + "_r" + n;
                }
                if (port > 65535 || dirTaken(placed, spare, dir)) {
                    problems.add(s.subject() + " finds no free port or data directory on spare host " + spare);
                    continue;
                }
                taken.add(spare + ":" + port);
                placed.add(new PlaceConflicts.Occupant(spare, spare, port, Path.of(dir), Path.of(dir),
                        "the new place of " + PlaceConflicts.describe(s)));
                entries.add(new RecoverConfig.Entry(0, Optional.of(RecoveryType.FULL), Place.of(s),
                        Optional.of(new Place(spare, port, dir))));
            }
        }
        if (!problems.isEmpty()) throw new RecoverConfigException("cannot plan the recovery (nothing was changed)", problems);
        return new RecoveryRequest(RecoveryType.FULL, Optional.of(new RecoverConfig(entries)), "-p " + String.join(",", spares),
                List.of());
    }
}
