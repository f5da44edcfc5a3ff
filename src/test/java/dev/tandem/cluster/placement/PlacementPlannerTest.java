package dev.tandem.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Invariants;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementPlannerTest {

    static final InstanceLocation COORD = new InstanceLocation("cdw", 5432, Path.of("/data/coordinator/gpseg-1"));
    static final InstanceLocation STANDBY = new InstanceLocation("scdw", 5432, Path.of("/data/standby/gpseg-1"));

    static ClusterSpec spec(int hosts, int perHost, MirrorMode mode, boolean mirrored) {
        List<String> hostNames = IntStream.range(0, hosts).mapToObj(i -> "sdw" + (i + 1)).toList();
        List<Path> primaryDirs = IntStream.range(0, perHost).mapToObj(j -> Path.of("/data" + j + "/primary")).toList();
        List<Path> mirrorDirs = mirrored
                ? IntStream.range(0, perHost).mapToObj(j -> Path.of("/data" + j + "/mirror")).toList()
                : List.of();
        return new ClusterSpec(COORD, Optional.of(STANDBY), hostNames, primaryDirs, mirrorDirs, 6000, 7000, mode,
                "gpseg", "postgres", Map.of());
    }

    static ClusterSpec with(ClusterSpec s, List<String> hosts, int portBase, int mirrorPortBase,
                            InstanceLocation coordinator, Optional<InstanceLocation> standby) {
        return new ClusterSpec(coordinator, standby, hosts, s.primaryDataDirs(), s.mirrorDataDirs(), portBase,
                mirrorPortBase, s.mirrorMode(), s.segPrefix(), s.osUser(), s.settings());
    }

    static Stream<Arguments> layouts() {
        List<Arguments> out = new ArrayList<>();
        for (MirrorMode mode : MirrorMode.values()) {
            for (int h = 1; h <= 8; h++) {
                for (int p = 1; p <= 4; p++) out.add(Arguments.of(mode, h, p));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} mirroring, {1} hosts x {2} primaries")
    @MethodSource("layouts")
    void mirroredLayout_keepsEveryPlacementProperty(MirrorMode mode, int hosts, int perHost) {
        ClusterSpec spec = spec(hosts, perHost, mode, true);
        boolean feasible = hosts >= 2 && (mode == MirrorMode.GROUP || hosts > perHost);
        if (!feasible) {
            assertThatThrownBy(() -> PlacementPlanner.plan(spec)).isInstanceOf(PlacementException.class);
            return;
        }
        List<Segment> rows = PlacementPlanner.plan(spec);
        int n = hosts * perHost;

        assertThat(rows).hasSize(2 * n + 2);
        assertThat(Invariants.violations(rows)).isEmpty();
        assertThat(rows).allMatch(s -> s.status() == Status.UP && s.role() == s.preferredRole()
                && s.hostname().equals(s.address()));
        assertThat(rows).map(Segment::dbid).containsExactlyElementsOf(IntStream.rangeClosed(1, 2 * n + 2).boxed().toList());
        assertNoSharedPlaces(rows);

        Map<Integer, Segment> primaries = byContent(rows, Role.PRIMARY);
        Map<Integer, Segment> mirrors = byContent(rows, Role.MIRROR);
        assertThat(primaries.keySet()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
        assertThat(mirrors.keySet()).isEqualTo(primaries.keySet());
        for (int c = 0; c < n; c++) {
            assertThat(primaries.get(c).hostname()).isEqualTo("sdw" + (c / perHost + 1));
            assertThat(mirrors.get(c).hostname()).isNotEqualTo(primaries.get(c).hostname());
            assertThat(primaries.get(c).mode()).isEqualTo(Mode.SYNCED);
            assertThat(mirrors.get(c).mode()).isEqualTo(Mode.SYNCED);
        }

        Map<String, Long> mirrorsPerHost = mirrors.values().stream()
                .collect(Collectors.groupingBy(Segment::hostname, Collectors.counting()));
        assertThat(mirrorsPerHost).hasSize(hosts);
        assertThat(new HashSet<>(mirrorsPerHost.values())).containsExactly((long) perHost);

        for (int h = 0; h < hosts; h++) {
            List<String> mirrorHosts = IntStream.range(h * perHost, (h + 1) * perHost)
                    .mapToObj(c -> mirrors.get(c).hostname()).toList();
            if (mode == MirrorMode.SPREAD) {
                assertThat(mirrorHosts).doesNotHaveDuplicates();
            } else {
                assertThat(mirrorHosts).containsOnly("sdw" + ((h + 1) % hosts + 1));
            }
        }
    }

    @ParameterizedTest(name = "unmirrored, {1} hosts x {2} primaries")
    @MethodSource("layouts")
    void unmirroredLayout_hasNoMirrorRows(MirrorMode mode, int hosts, int perHost) {
        List<Segment> rows = PlacementPlanner.plan(spec(hosts, perHost, mode, false));
        assertThat(rows).hasSize(hosts * perHost + 2);
        assertThat(rows).filteredOn(s -> s.content() >= 0).allMatch(s -> s.isPrimary() && s.mode() == Mode.NOT_SYNCED);
        assertThat(Invariants.violations(rows)).isEmpty();
        assertNoSharedPlaces(rows);
    }

    static void assertNoSharedPlaces(List<Segment> rows) {
        Set<String> ports = new HashSet<>();
        Set<String> dirs = new HashSet<>();
        for (Segment s : rows) {
            assertThat(ports.add(s.hostname() + ":" + s.port())).as("port of %s", s).isTrue();
            assertThat(dirs.add(s.hostname() + ":" + s.datadir())).as("datadir of %s", s).isTrue();
        }
    }

    static Map<Integer, Segment> byContent(List<Segment> rows, Role role) {
        Map<Integer, Segment> out = new HashMap<>();
        rows.stream().filter(s -> s.role() == role && s.content() >= 0)
                .forEach(s -> assertThat(out.put(s.content(), s)).as("content %d twice", s.content()).isNull());
        return out;
    }

    static Segment row(int dbid, int content, char role, char mode, int port, String host, String dir) {
        return new Segment(dbid, content, Role.of(role), Role.of(role), Mode.of(mode), Status.UP, port, host, host, dir);
    }

    @Test
    void groupMirroring_threeHostsTwoPrimaries_exactRows() {
        assertThat(PlacementPlanner.plan(spec(3, 2, MirrorMode.GROUP, true))).containsExactly(
                row(1, -1, 'p', 'n', 5432, "cdw", "/data/coordinator/gpseg-1"),
                row(2, 0, 'p', 's', 6000, "sdw1", "/data0/primary/gpseg0"),
                row(3, 1, 'p', 's', 6001, "sdw1", "/data1/primary/gpseg1"),
                row(4, 2, 'p', 's', 6000, "sdw2", "/data0/primary/gpseg2"),
                row(5, 3, 'p', 's', 6001, "sdw2", "/data1/primary/gpseg3"),
                row(6, 4, 'p', 's', 6000, "sdw3", "/data0/primary/gpseg4"),
                row(7, 5, 'p', 's', 6001, "sdw3", "/data1/primary/gpseg5"),
                row(8, 0, 'm', 's', 7000, "sdw2", "/data0/mirror/gpseg0"),
                row(9, 1, 'm', 's', 7001, "sdw2", "/data1/mirror/gpseg1"),
                row(10, 2, 'm', 's', 7000, "sdw3", "/data0/mirror/gpseg2"),
                row(11, 3, 'm', 's', 7001, "sdw3", "/data1/mirror/gpseg3"),
                row(12, 4, 'm', 's', 7000, "sdw1", "/data0/mirror/gpseg4"),
                row(13, 5, 'm', 's', 7001, "sdw1", "/data1/mirror/gpseg5"),
                row(14, -1, 'm', 's', 5432, "scdw", "/data/standby/gpseg-1"));
    }

    @Test
    void spreadMirroring_threeHostsTwoPrimaries_exactRows() {
        // host i's j-th primary goes to host (i+1+j) mod 3; ports/dirs on a host follow content order
        assertThat(PlacementPlanner.plan(spec(3, 2, MirrorMode.SPREAD, true))).containsExactly(
                row(1, -1, 'p', 'n', 5432, "cdw", "/data/coordinator/gpseg-1"),
                row(2, 0, 'p', 's', 6000, "sdw1", "/data0/primary/gpseg0"),
                row(3, 1, 'p', 's', 6001, "sdw1", "/data1/primary/gpseg1"),
                row(4, 2, 'p', 's', 6000, "sdw2", "/data0/primary/gpseg2"),
                row(5, 3, 'p', 's', 6001, "sdw2", "/data1/primary/gpseg3"),
                row(6, 4, 'p', 's', 6000, "sdw3", "/data0/primary/gpseg4"),
                row(7, 5, 'p', 's', 6001, "sdw3", "/data1/primary/gpseg5"),
                row(8, 0, 'm', 's', 7000, "sdw2", "/data0/mirror/gpseg0"),
                row(9, 1, 'm', 's', 7000, "sdw3", "/data0/mirror/gpseg1"),
                row(10, 2, 'm', 's', 7001, "sdw3", "/data1/mirror/gpseg2"),
                row(11, 3, 'm', 's', 7000, "sdw1", "/data0/mirror/gpseg3"),
                row(12, 4, 'm', 's', 7001, "sdw1", "/data1/mirror/gpseg4"),
                row(13, 5, 'm', 's', 7001, "sdw2", "/data1/mirror/gpseg5"),
                row(14, -1, 'm', 's', 5432, "scdw", "/data/standby/gpseg-1"));
    }
}
