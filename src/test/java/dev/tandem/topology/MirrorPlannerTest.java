package dev.tandem.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Invariants;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.catalog.TransitionTable;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.placement.PlacementException;
import dev.tandem.recovery.RecoverConfigException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MirrorPlannerTest {

    /** Coordinator dbid 1; 3 hosts x 2 primaries, contents 0-5, unmirrored (as init --no-mirrors makes them). */
    static List<Segment> unmirrored() {
        List<Segment> rows = new ArrayList<>();
        rows.add(new Segment(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, 5432, "cdw", "cdw", "/c/gpseg-1"));
        String[] hosts = {"sdw1", "sdw2", "sdw3"};
        for (int content = 0; content < 6; content++) {
            String h = hosts[content / 2];
            rows.add(new Segment(content + 2, content, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP,
                    6000 + content % 2, h, h, "/data/primary/gpseg" + content));
        }
        return rows;
    }

    @Test
    void group_putsAHostsMirrorsOnTheNextHost_onPrimaryPortPlusOffset_downAndNotInSync() {
        List<Segment> m = MirrorPlanner.layout(unmirrored(), MirrorMode.GROUP, 1000, List.of("/data/m1", "/data/m2"));
        assertThat(m).extracting(Segment::content).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(m).extracting(Segment::hostname).containsExactly("sdw2", "sdw2", "sdw3", "sdw3", "sdw1", "sdw1");
        assertThat(m).extracting(Segment::port).containsExactly(7000, 7001, 7000, 7001, 7000, 7001);
        assertThat(m).extracting(Segment::datadir).containsExactly("/data/m1/gpseg0", "/data/m2/gpseg1",
                "/data/m1/gpseg2", "/data/m2/gpseg3", "/data/m1/gpseg4", "/data/m2/gpseg5");
        assertThat(m).extracting(Segment::dbid).containsExactly(8, 9, 10, 11, 12, 13);
        assertThat(m).allSatisfy(s -> {
            assertThat(s.role()).isEqualTo(Role.MIRROR);
            assertThat(s.preferredRole()).isEqualTo(Role.MIRROR);
            assertThat(s.status()).isEqualTo(Status.DOWN);
            assertThat(s.mode()).isEqualTo(Mode.NOT_SYNCED);
        });
    }

    @Test
    void spread_putsAHostsMirrorsOnDifferentHosts() {
        List<Segment> m = MirrorPlanner.layout(unmirrored(), MirrorMode.SPREAD, 500, List.of("/m", "/m"));
        assertThat(m).extracting(Segment::hostname).containsExactly("sdw2", "sdw3", "sdw3", "sdw1", "sdw1", "sdw2");
        assertThat(m).extracting(Segment::port).containsExactly(6500, 6501, 6500, 6501, 6500, 6501);
    }

    @Test
    void theAddedRows_passTheInvariants_andAreAnEdgeOfThePairsStateModel() {
        List<Segment> before = unmirrored();
        List<Segment> after = new ArrayList<>(before);
        after.addAll(MirrorPlanner.layout(before, MirrorMode.GROUP, 1000, List.of("/m", "/m")));
        Invariants.check(after);
        assertThat(TransitionTable.refusals(before, after)).isEmpty();
    }

    @Test
    void refusals_nameWhatIsWrong() {
        assertThatThrownBy(() -> MirrorPlanner.layout(unmirrored(), MirrorMode.SPREAD, 1000, List.of("/m", "/m", "/m")))
                .isInstanceOf(PlacementException.class).hasMessageContaining("give 2 mirror data location(s)");
        List<Segment> twoPerHostTwoHosts = unmirrored().subList(0, 5);
        assertThatThrownBy(() -> MirrorPlanner.layout(twoPerHostTwoHosts, MirrorMode.SPREAD, 1000, List.of("/m", "/m")))
                .hasMessageContaining("spread mirroring needs more hosts (2) than primaries per host (2)");
        List<Segment> oneHost = unmirrored().subList(0, 3);
        assertThatThrownBy(() -> MirrorPlanner.layout(oneHost, MirrorMode.GROUP, 1000, List.of("/m", "/m")))
                .hasMessageContaining("all on one host (sdw1)");
        // an offset that puts a mirror on a port its host's primary holds
        assertThatThrownBy(() -> MirrorPlanner.layout(unmirrored(), MirrorMode.SPREAD, 1, List.of("/data/primary", "/m")))
                .isInstanceOf(PlacementException.class);
    }

    @Test
    void aContentWithAMirror_isRefused_andNamed() {
        List<Segment> rows = new ArrayList<>(unmirrored());
        rows.add(new Segment(8, 0, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.DOWN, 7000, "sdw2", "sdw2", "/m/gpseg0"));
        MirrorConfigFile f = MirrorConfigFile.parse("0|sdw3|7000|/m/gpseg0\n", "mirrors");
        assertThatThrownBy(() -> MirrorPlanner.fromFile(rows, f, "mirrors"))
                .hasMessageContaining("content 0 has a mirror already (dbid 8 at sdw2:7000 /m/gpseg0)");
    }

    @Test
    void fromFile_takesThePlacesAsGiven_andRefusesAMirrorOnItsPrimarysHost() {
        MirrorConfigFile f = MirrorConfigFile.parse("# places\n0|sdw2|7100|/x/gpseg0/\n1|sdw3|sdw3|7101|/x//gpseg1\n", "m.conf");
        List<Segment> m = MirrorPlanner.fromFile(unmirrored(), f, "m.conf");
        assertThat(m).extracting(Segment::datadir).containsExactly("/x/gpseg0", "/x/gpseg1");
        assertThat(m).extracting(Segment::dbid).containsExactly(8, 9);
        MirrorConfigFile bad = MirrorConfigFile.parse("2|sdw2|7100|/x/gpseg2\n", "m.conf");
        assertThatThrownBy(() -> MirrorPlanner.fromFile(unmirrored(), bad, "m.conf"))
                .hasMessageContaining("content 2").hasMessageContaining("on its primary's host sdw2");
        MirrorConfigFile unknown = MirrorConfigFile.parse("9|sdw2|7100|/x/gpseg9\n", "m.conf");
        assertThatThrownBy(() -> MirrorPlanner.fromFile(unmirrored(), unknown, "m.conf"))
                .hasMessageContaining("m.conf:1: content 9 has no primary");
        MirrorConfigFile twice = MirrorConfigFile.parse("0|sdw2|7100|/x/a\n0|sdw3|7100|/x/b\n", "m.conf");
        assertThatThrownBy(() -> MirrorPlanner.fromFile(unmirrored(), twice, "m.conf"))
                .hasMessageContaining("m.conf:2: content 0 is listed twice");
    }

    @Test
    void theFile_errorsNameFileAndLine_andEmptyFilesSaySo() {
        assertThatThrownBy(() -> MirrorConfigFile.parse("0|sdw2|7000\nx|sdw2|7000|/a\n1|sdw2|99999|rel\n", "m.conf"))
                .isInstanceOf(RecoverConfigException.class)
                .satisfies(e -> assertThat(((RecoverConfigException) e).problems()).containsExactly(
                        "m.conf:1: expected contentID|address|port|data_dir (or contentID|hostname|address|port|data_dir),"
                                + " found 3 field(s): 0|sdw2|7000",
                        "m.conf:2: content ID is not a number: 'x'",
                        "m.conf:3: port 99999 is out of range 1-65535",
                        "m.conf:3: data directory must be absolute: rel"));
        assertThatThrownBy(() -> MirrorConfigFile.parse("# nothing\n\n", "m.conf"))
                .satisfies(e -> assertThat(((RecoverConfigException) e).problems())
                        .containsExactly("m.conf: no mirror line (the file is empty or holds comments only)"));
    }

    @Test
    void write_thenParse_givesTheSamePlaces() {
        List<Segment> m = MirrorPlanner.layout(unmirrored(), MirrorMode.GROUP, 1000, List.of("/m1", "/m2"));
        String text = MirrorConfigFile.write(m, "header");
        assertThat(text).startsWith("# header\n0|sdw2|7000|/m1/gpseg0\n");
        assertThat(MirrorPlanner.fromFile(unmirrored(), MirrorConfigFile.parse(text, "o"), "o")).isEqualTo(m);
    }
}
