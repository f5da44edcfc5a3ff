package dev.tandem.topology;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.placement.PlacementChecks;
import dev.tandem.cluster.placement.PlacementException;
import dev.tandem.cluster.placement.PlacementPlanner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where {@code tandem addmirrors} puts the mirrors of the contents that have none, as new catalog rows: role and
 * preferred role {@code m}, status {@code d}, mode {@code n} (a mirror that does not exist yet is down; it is built,
 * and only then made synchronous, by a full recovery). Pure: refuses with {@link PlacementException} rather than
 * plan a mirror on its primary's host, on a place another instance holds, or for a content that has a mirror.
 */
public final class MirrorPlanner {

    /** Greenplum's default distance between a primary's port and its mirror's ({@code gpaddmirrors -p}). */
    public static final int DEFAULT_PORT_OFFSET = 1000;

    private MirrorPlanner() {
    }

    /**
     * gpaddmirrors without {@code -i}: the mirror of the j-th primary of a host goes to the next host (group) or to
     * the (j+1)-th next host (spread), on port primary + {@code portOffset}, in {@code locations[j]/<prefix><content>}.
     */
    public static List<Segment> layout(List<Segment> catalog, MirrorMode mode, int portOffset, List<String> locations) {
        List<String> hosts = segmentHosts(catalog);
        Map<String, List<Segment>> byHost = primariesByHost(catalog);
        int perHost = primariesPerHost(catalog);
        if (hosts.size() < 2) {
            throw new PlacementException("the primaries are all on one host (" + String.join(", ", hosts)
                    + "): a mirror must be on another host; give the places with -i FILE");
        }
        if (mode == MirrorMode.SPREAD && hosts.size() <= perHost) {
            throw new PlacementException("spread mirroring needs more hosts (" + hosts.size()
                    + ") than primaries per host (" + perHost + "); use group mirroring or -i FILE");
        }
        if (locations.size() != perHost) {
            throw new PlacementException("give " + perHost + " mirror data location(s), one per primary of a host (-m FILE"
                    + " lists them one per line); got " + locations.size());
        }
        Set<Integer> mirrored = mirroredContents(catalog);
        List<Segment> rows = new ArrayList<>();
        int dbid = nextDbid(catalog);
        for (int i = 0; i < hosts.size(); i++) {
            List<Segment> onHost = byHost.get(hosts.get(i));
            for (int j = 0; j < onHost.size(); j++) {
                Segment p = onHost.get(j);
                if (mirrored.contains(p.content())) continue;
                String host = hosts.get(PlacementPlanner.mirrorHostIndex(mode, i, j, hosts.size()));
                String address = addressOf(catalog, host);
                String dir = MirrorConfigFile.normalise(locations.get(j) + "/" + prefixOf(p) + p.content());
                rows.add(mirror(0, p.content(), host, address, p.port() + portOffset, dir));
            }
        }
        rows.sort(Comparator.comparingInt(Segment::content));
        List<Segment> numbered = new ArrayList<>();
        for (Segment r : rows) numbered.add(r.withDbid(dbid++));
        return check(catalog, numbered);
    }

    /** gpaddmirrors -i FILE: the places as the file gives them, checked as the layout's are. */
    public static List<Segment> fromFile(List<Segment> catalog, MirrorConfigFile file, String fileName) {
        List<Segment> rows = new ArrayList<>();
        int dbid = nextDbid(catalog);
        Set<Integer> contents = new HashSet<>();
        for (MirrorConfigFile.Line l : file.lines()) {
            String where = fileName + ":" + l.line() + ": ";
            if (!contents.add(l.content())) throw new PlacementException(where + "content " + l.content() + " is listed twice");
            if (primaryOf(catalog, l.content()) == null) {
                throw new PlacementException(where + "content " + l.content() + " has no primary in the catalog");
            }
            rows.add(mirror(dbid++, l.content(), l.host(), l.address(), l.port(), l.datadir()));
        }
        return check(catalog, rows);
    }

    private static List<Segment> check(List<Segment> catalog, List<Segment> mirrors) {
        Set<Integer> mirrored = mirroredContents(catalog);
        for (Segment m : mirrors) {
            if (mirrored.contains(m.content())) {
                Segment has = catalog.stream().filter(s -> s.content() == m.content() && s.isMirror()).findFirst().orElseThrow();
                throw new PlacementException("content " + m.content() + " has a mirror already (dbid " + has.dbid() + " at "
                        + has.address() + ":" + has.port() + " " + has.datadir() + "); tandem movemirrors moves one");
            }
            Segment p = primaryOf(catalog, m.content());
            if (p.address().equals(m.address()) || p.hostname().equals(m.hostname())) {
                throw new PlacementException("content " + m.content() + ": the mirror " + m.address() + ":" + m.port()
                        + " would be on its primary's host " + p.hostname() + ": it would protect nothing");
            }
        }
        List<Segment> all = new ArrayList<>(catalog);
        all.addAll(mirrors);
        PlacementChecks.requireDistinctPlaces(all);
        PlacementChecks.requirePairsOnDifferentHosts(all);
        return List.copyOf(mirrors);
    }

    /** The most primaries any host has: how many mirror data locations a layout needs. */
    public static int primariesPerHost(List<Segment> catalog) {
        return primariesByHost(catalog).values().stream().mapToInt(List::size).max().orElse(0);
    }

    /** Segment hosts in the order of their first content, as gpinitsystem numbered them. */
    static List<String> segmentHosts(List<Segment> catalog) {
        return new ArrayList<>(primariesByHost(catalog).keySet());
    }

    private static Map<String, List<Segment>> primariesByHost(List<Segment> catalog) {
        Map<String, List<Segment>> out = new LinkedHashMap<>();
        catalog.stream().filter(s -> s.content() >= 0 && s.preferredRole() == Role.PRIMARY)
                .sorted(Comparator.comparingInt(Segment::content))
                .forEach(s -> out.computeIfAbsent(s.hostname(), h -> new ArrayList<>()).add(s));
        return out;
    }

    private static Set<Integer> mirroredContents(List<Segment> catalog) {
        Set<Integer> out = new HashSet<>();
        catalog.stream().filter(s -> s.content() >= 0 && s.isMirror()).forEach(s -> out.add(s.content()));
        return out;
    }

    private static Segment primaryOf(List<Segment> catalog, int content) {
        return catalog.stream().filter(s -> s.content() == content && s.content() >= 0 && s.isPrimary())
                .findFirst().orElse(null);
    }

    private static String addressOf(List<Segment> catalog, String host) {
        return catalog.stream().filter(s -> s.hostname().equals(host)).map(Segment::address).findFirst().orElse(host);
    }

    /** {@code gpseg} of {@code /data/primary/gpseg3}: the name before the content number. */
    static String prefixOf(Segment p) {
        String name = java.nio.file.Path.of(p.datadir()).getFileName().toString();
        String n = Integer.toString(p.content());
        return name.endsWith(n) ? name.substring(0, name.length() - n.length()) : "gpseg";
    }

    private static int nextDbid(List<Segment> catalog) {
        return catalog.stream().mapToInt(Segment::dbid).max().orElse(0) + 1;
    }

    private static Segment mirror(int dbid, int content, String host, String address, int port, String datadir) {
        return new Segment(dbid, content, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.DOWN, port, host, address, datadir);
    }
}
