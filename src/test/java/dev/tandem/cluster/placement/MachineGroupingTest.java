package dev.tandem.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Invariants;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MachineNames;
import dev.tandem.cluster.MirrorMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A host file naming several interfaces of one machine (sdw1-1, sdw1-2): grouped by the machine each name reports,
 * as gpinitsystem groups them, so that a mirror never lands on its primary's machine through another interface.
 */
class MachineGroupingTest {

    static final InstanceLocation COORD = new InstanceLocation("cdw", 5432, Path.of("/data/coordinator/gpseg-1"));
    /** What `hostname` says on each name: two names per machine. */
    static final Map<String, String> HOSTNAME = Map.of("sdw1-1", "sdw1", "sdw1-2", "sdw1", "sdw2-1", "sdw2",
            "sdw2-2", "sdw2");

    static ClusterSpec spec(List<String> hosts, MirrorMode mode, int perHost) {
        List<Path> dirs = java.util.stream.IntStream.range(0, perHost).mapToObj(j -> Path.of("/data" + j + "/p")).toList();
        List<Path> mdirs = java.util.stream.IntStream.range(0, perHost).mapToObj(j -> Path.of("/data" + j + "/m")).toList();
        ClusterSpec s = new ClusterSpec(COORD, Optional.empty(), hosts, dirs, mdirs, 6000, 7000, mode, "gpseg",
                "gpadmin", Map.of());
        return s.withMachines(MachineNames.group(hosts, h -> Optional.ofNullable(HOSTNAME.get(h))));
    }

    @Test
    void interfacesOfTwoMachines_twoPrimariesEach_onTheirOwnInterfaces_mirrorsOnTheOtherMachine() {
        List<Segment> rows = PlacementPlanner.plan(spec(List.of("sdw1-1", "sdw1-2", "sdw2-1", "sdw2-2"),
                MirrorMode.GROUP, 2));
        List<String> segs = rows.stream().filter(s -> s.content() >= 0)
                .map(s -> s.content() + " " + s.role().code() + " " + s.hostname() + " " + s.address() + ":" + s.port())
                .toList();
        assertThat(segs).containsExactly(
                "0 p sdw1 sdw1-1:6000", "1 p sdw1 sdw1-2:6001", "2 p sdw2 sdw2-1:6000", "3 p sdw2 sdw2-2:6001",
                "0 m sdw2 sdw2-1:7000", "1 m sdw2 sdw2-2:7001", "2 m sdw1 sdw1-1:7000", "3 m sdw1 sdw1-2:7001");
        assertThat(Invariants.violations(rows)).isEmpty();
    }

    @Test
    void withoutGrouping_theSameFile_wouldPutMirrorsOnTheirPrimarysMachine() {
        // the failure the grouping prevents: four names taken as four machines, content 0's mirror on sdw1-2
        ClusterSpec ungrouped = spec(List.of("sdw1-1", "sdw1-2", "sdw2-1", "sdw2-2"), MirrorMode.GROUP, 1)
                .withMachines(Map.of());
        Segment mirror0 = PlacementPlanner.plan(ungrouped).stream()
                .filter(s -> s.content() == 0 && s.isMirror()).findFirst().orElseThrow();
        assertThat(HOSTNAME.get(mirror0.address())).isEqualTo("sdw1");
        Segment grouped0 = PlacementPlanner.plan(spec(List.of("sdw1-1", "sdw1-2", "sdw2-1", "sdw2-2"),
                MirrorMode.GROUP, 1)).stream().filter(s -> s.content() == 0 && s.isMirror()).findFirst().orElseThrow();
        assertThat(HOSTNAME.get(grouped0.address())).isEqualTo("sdw2");
    }

    @Test
    void everyMirrorOffItsPrimarysMachine_spreadToo() {
        for (MirrorMode mode : MirrorMode.values()) {
            Map<String, String> three = Map.of("a1", "a", "a2", "a", "b1", "b", "b2", "b", "c1", "c", "c2", "c");
            List<String> hosts = List.of("a1", "a2", "b1", "b2", "c1", "c2");
            List<Path> dirs = List.of(Path.of("/d0/p"), Path.of("/d1/p"));
            List<Path> mdirs = List.of(Path.of("/d0/m"), Path.of("/d1/m"));
            ClusterSpec s = new ClusterSpec(COORD, Optional.empty(), hosts, dirs, mdirs, 6000, 7000, mode, "gpseg",
                    "gpadmin", Map.of()).withMachines(MachineNames.group(hosts, h -> Optional.of(three.get(h))));
            List<Segment> rows = PlacementPlanner.plan(s);
            assertThat(rows.stream().filter(r -> r.content() >= 0).count()).isEqualTo(12);
            for (Segment m : rows.stream().filter(Segment::isMirror).filter(r -> r.content() >= 0).toList()) {
                Segment p = rows.stream().filter(r -> r.content() == m.content() && r.isPrimary()).findFirst().orElseThrow();
                assertThat(three.get(m.address())).as(mode + " content " + m.content()).isNotEqualTo(three.get(p.address()));
                assertThat(m.hostname()).isEqualTo(three.get(m.address()));
            }
        }
    }

    @Test
    void allNamesOneMachine_mirrored_refusedNamingTheGrouping() {
        Map<String, String> one = Map.of("sdw1-1", "sdw1", "sdw1-2", "sdw1");
        ClusterSpec s = spec(List.of("sdw1-1", "sdw1-2"), MirrorMode.GROUP, 1)
                .withMachines(MachineNames.group(List.of("sdw1-1", "sdw1-2"), h -> Optional.of(one.get(h))));
        assertThatThrownBy(() -> PlacementPlanner.plan(s)).isInstanceOf(PlacementException.class)
                .hasMessage("mirroring needs at least 2 segment hosts (got 1): a primary and its mirror must be on "
                        + "different hosts (the 2 host names given are interfaces of 1 machine: sdw1 = sdw1-1 + sdw1-2)");
    }

    @Test
    void nameWhoseMachineCannotBeTold_isAMachineOfItsOwn() {
        assertThat(MachineNames.group(List.of("sdw1-1", "gone", "blank"),
                h -> h.equals("gone") ? Optional.empty() : h.equals("blank") ? Optional.of(" ") : Optional.of("sdw1")))
                .containsExactly(Map.entry("sdw1-1", "sdw1"), Map.entry("gone", "gone"), Map.entry("blank", "blank"));
    }

    @Test
    void namesOfThisMachine_areMachinesOfTheirOwn_remoteOnesAskHostname() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        dev.tandem.host.HostRunner runner = new dev.tandem.host.HostRunner() {
            public dev.tandem.host.CommandResult run(dev.tandem.host.Command c) {
                asked.add(c.host() + " " + String.join(" ", c.argv()));
                return new dev.tandem.host.CommandResult(c, 0, "sdw9\n", "", java.time.Duration.ZERO);
            }

            public boolean reaches(String host) {
                return true;
            }
        };
        var machineOf = MachineNames.byHostnameCommand(runner, h -> h.startsWith("127."));
        assertThat(MachineNames.group(List.of("127.0.0.2", "127.0.0.3", "sdw9-1"), machineOf)).containsExactly(
                Map.entry("127.0.0.2", "127.0.0.2"), Map.entry("127.0.0.3", "127.0.0.3"), Map.entry("sdw9-1", "sdw9"));
        assertThat(asked).containsExactly("sdw9-1 hostname");
    }
}
