package dev.tandem.cluster.placement;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lays out a new cluster the way gpinitsystem does and returns its {@code gp_segment_configuration} rows:
 * coordinator (dbid 1), primaries (content 0..N-1, numbered host-major, dbid content+2), mirrors (dbid N+2..,
 * in content order), then the standby coordinator. Pure: refuses with {@link PlacementException} rather than
 * producing a layout that breaks an invariant or makes two instances share a port or a data directory.
 */
public final class PlacementPlanner {

    private PlacementPlanner() {
    }

    public static List<Segment> plan(ClusterSpec spec) {
        checkSpec(spec);
        List<String> machines = spec.segmentMachines();
        int hosts = machines.size();
        int perHost = spec.primariesPerHost();
        int segments = spec.segmentCount();

        List<Segment> rows = new ArrayList<>();
        rows.add(coordinatorRow(1, Role.PRIMARY, Mode.NOT_SYNCED, spec.coordinator()));
        // Greenplum shows an unmirrored primary as not in sync: there is nothing to be in sync with.
        Mode segmentMode = spec.mirrored() ? Mode.SYNCED : Mode.NOT_SYNCED;
        for (int content = 0; content < segments; content++) {
            String machine = machines.get(content / perHost);
            int j = content % perHost;
            rows.add(segmentRow(content + 2, content, Role.PRIMARY, segmentMode, machine, address(spec, machine, j),
                    spec.portBase() + j, spec.primaryDataDirs().get(j), spec.segPrefix()));
        }
        if (spec.mirrored()) {
            int[] placedOnHost = new int[hosts];
            for (int content = 0; content < segments; content++) {
                int h = mirrorHostIndex(spec.mirrorMode(), content / perHost, content % perHost, hosts);
                int k = placedOnHost[h]++;
                String machine = machines.get(h);
                rows.add(segmentRow(segments + 2 + content, content, Role.MIRROR, Mode.SYNCED, machine,
                        address(spec, machine, k), spec.mirrorPortBase() + k, spec.mirrorDataDirs().get(k),
                        spec.segPrefix()));
            }
        }
        int nextDbid = rows.size() + 1;
        spec.standby().ifPresent(s -> rows.add(coordinatorRow(nextDbid, Role.MIRROR, Mode.SYNCED, s)));

        PlacementChecks.requireDistinctPlaces(rows);
        PlacementChecks.requirePairsOnDifferentHosts(rows);
        return List.copyOf(rows);
    }

    /**
     * The address of the {@code j}-th instance (primary or mirror) on a machine: its interfaces in turn, as
     * gpinitsystem spreads a machine's segments over the interface names the host file lists for it. A machine
     * listed under one name has that name as its only address (and as its hostname).
     */
    static String address(ClusterSpec spec, String machine, int j) {
        List<String> names = spec.interfacesOf(machine);
        return names.get(j % names.size());
    }

    /**
     * Host of the mirror of the j-th primary of host i. Group: all of host i's mirrors on the next host. Spread: one
     * per following host, so that losing one host spreads its load over P survivors instead of doubling one.
     */
    public static int mirrorHostIndex(MirrorMode mode, int primaryHost, int j, int hosts) {
        return switch (mode) {
            case GROUP -> (primaryHost + 1) % hosts;
            case SPREAD -> (primaryHost + 1 + j) % hosts;
        };
    }

    private static void checkSpec(ClusterSpec spec) {
        List<String> hosts = spec.segmentHosts();
        int perHost = spec.primariesPerHost();
        if (hosts.isEmpty()) throw new PlacementException("no segment hosts given");
        if (perHost == 0) throw new PlacementException("no primary data directories given: need at least one per host");
        Set<String> seen = new HashSet<>();
        for (String h : hosts) {
            if (h.isBlank()) throw new PlacementException("blank segment host name");
            if (!seen.add(h)) throw new PlacementException("segment host " + h + " is listed twice");
        }
        checkPortRange("primary", spec.portBase(), perHost);
        spec.standby().ifPresent(s -> {
            if (s.host().equals(spec.coordinator().host())) {
                throw new PlacementException("standby coordinator must be on a different host than the coordinator ("
                        + s.host() + ")");
            }
        });
        if (!spec.mirrored()) return;
        List<String> machines = spec.segmentMachines();
        String grouped = machines.size() == hosts.size() ? "" : " (the " + hosts.size() + " host names given are "
                + "interfaces of " + machines.size() + " machine" + (machines.size() == 1 ? "" : "s") + ": "
                + String.join(", ", machines.stream().map(m -> m + " = " + String.join(" + ", spec.interfacesOf(m)))
                .toList()) + ")";
        if (machines.size() < 2) {
            throw new PlacementException("mirroring needs at least 2 segment hosts (got " + machines.size()
                    + "): a primary and its mirror must be on different hosts" + grouped);
        }
        if (spec.mirrorMode() == MirrorMode.SPREAD && machines.size() <= perHost) {
            throw new PlacementException("spread mirroring needs more segment hosts (" + machines.size()
                    + ") than primaries per host (" + perHost + "); use group mirroring or add hosts" + grouped);
        }
        // Both modes put exactly P mirrors on every host.
        if (spec.mirrorDataDirs().size() < perHost) {
            throw new PlacementException("each host carries " + perHost + " mirrors but only "
                    + spec.mirrorDataDirs().size() + " mirror data directories were given");
        }
        checkPortRange("mirror", spec.mirrorPortBase(), perHost);
    }

    private static void checkPortRange(String what, int base, int count) {
        if (base < 1 || base + count - 1 > 65535) {
            throw new PlacementException(what + " ports " + base + ".." + (base + count - 1)
                    + " are out of range 1..65535");
        }
    }

    private static Segment coordinatorRow(int dbid, Role role, Mode mode, InstanceLocation at) {
        return new Segment(dbid, Segment.COORDINATOR_CONTENT, role, role, mode, Status.UP, at.port(), at.host(),
                at.host(), at.datadir().toString());
    }

    private static Segment segmentRow(int dbid, int content, Role role, Mode mode, String hostname, String address,
                                      int port, Path dir, String segPrefix) {
        String datadir = dir.resolve(segPrefix + content).toString();
        return new Segment(dbid, content, role, role, mode, Status.UP, port, hostname, address, datadir);
    }
}
