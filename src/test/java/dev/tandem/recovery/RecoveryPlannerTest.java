package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.recovery.RecoveryType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoveryPlannerTest {

    static Segment seg(int dbid, int content, Role role, Role pref, Mode mode, Status status, String addr, int port,
                       String dir) {
        return new Segment(dbid, content, role, pref, mode, status, port, addr, addr, dir);
    }

    /**
     * Content 0 failed over (old primary dbid 2 now m,d); content 1 lost its mirror (dbid 5 m,d); content 2 healthy.
     */
    static final List<Segment> CATALOG = List.of(
            seg(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, "h1", 5000, "/c/gpseg-1"),
            seg(2, 0, Role.MIRROR, Role.PRIMARY, Mode.NOT_SYNCED, Status.DOWN, "h1", 6000, "/p/gpseg0"),
            seg(3, 0, Role.PRIMARY, Role.MIRROR, Mode.NOT_SYNCED, Status.UP, "h2", 7000, "/m/gpseg0"),
            seg(4, 1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, "h2", 6000, "/p/gpseg1"),
            seg(5, 1, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.DOWN, "h1", 7000, "/m/gpseg1"),
            seg(6, 2, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, "h1", 6001, "/p/gpseg2"),
            seg(7, 2, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, "h2", 7001, "/m/gpseg2"));

    static RecoveryPlan plan(RecoveryRequest r) {
        return RecoveryPlanner.plan(CATALOG, r, Set.of());
    }

    static RecoveryRequest withFile(RecoveryType t, String text) {
        return RecoveryRequest.of(t, RecoverConfig.parse(text, "rc"), "rc");
    }

    static List<String> problems(List<Segment> catalog, RecoveryRequest r, Set<Integer> down) {
        return catchThrowableOfType(RecoverConfigException.class, () -> RecoveryPlanner.plan(catalog, r, down)).problems();
    }

    static List<String> problems(RecoveryRequest r) {
        return problems(CATALOG, r, Set.of());
    }

    static List<String> stepNames(SegmentRecovery r) {
        return r.steps().stream().map(Step::name).toList();
    }

    @Test
    void noFlags_everyDownSegmentInstance_incrementalInPlace_fromItsActingPrimary() {
        RecoveryPlan p = plan(RecoveryRequest.all(RecoveryType.INCREMENTAL));
        assertThat(p.recoveries()).extracting(r -> r.failed().dbid()).containsExactly(2, 5);
        SegmentRecovery r = p.recoveries().get(0);
        assertThat(r.type()).isEqualTo(RecoveryType.INCREMENTAL);
        assertThat(r.source().dbid()).isEqualTo(3);
        assertThat(r.target()).isEqualTo(new Place("h1", 6000, "/p/gpseg0"));
        assertThat(r.relocates()).isFalse();
        assertThat(stepNames(r)).containsExactly("CheckSlot", "StopIfRunning", "RewindIfDiverged", "ConfigureMirror", "Start");
        assertThat(p.recoveries().get(1).source().dbid()).isEqualTo(4);
    }

    @Test
    void nothingDown_emptyPlan() {
        List<Segment> healthy = CATALOG.stream().filter(s -> s.content() != 0 && s.content() != 1).toList();
        RecoveryPlan p = RecoveryPlanner.plan(healthy, RecoveryRequest.all(RecoveryType.INCREMENTAL), Set.of());
        assertThat(p.isEmpty()).isTrue();
        assertThat(PlanRenderer.text(p)).contains("nothing to recover");
    }

    @Test
    void fullFlag_removesAndCopiesInPlace() {
        RecoveryPlan p = plan(RecoveryRequest.all(RecoveryType.FULL));
        assertThat(p.recoveries()).allMatch(r -> r.type() == RecoveryType.FULL);
        assertThat(stepNames(p.recoveries().get(0))).containsExactly("StopIfRunning", "RemoveDataDirectory",
                "EnsureSlot", "BaseBackup", "ConfigureMirror", "Start");
    }

    @Test
    void differentialFlag_everyInstance_rsyncBetweenBackupStartAndStop_inPlace() {
        RecoveryPlan p = plan(RecoveryRequest.all(RecoveryType.DIFFERENTIAL));
        assertThat(p.recoveries()).hasSize(2).allSatisfy(r -> {
            assertThat(r.type()).isEqualTo(RecoveryType.DIFFERENTIAL);
            assertThat(r.relocates()).isFalse();
            assertThat(stepNames(r)).containsExactly("StopIfRunning", "EnsureSlot", "SyncChangedFiles",
                    "ConfigureMirror", "Start");
        });
    }

    @Test
    void spareHost_everyFailedInstanceOfTheFailedHost_fullOntoIt_portAndDirectoryKeptWhenFree_hbaAllowed() {
        RecoveryRequest r = new RecoveryRequest(RecoveryType.INCREMENTAL, Optional.empty(), "", List.of("h3"));
        RecoveryPlan p = plan(r);
        assertThat(p.recoveries()).extracting(x -> x.failed().dbid()).containsExactly(2, 5);
        assertThat(p.recoveries()).allSatisfy(x -> {
            assertThat(x.type()).isEqualTo(RecoveryType.FULL);
            assertThat(x.target().address()).isEqualTo("h3");
            assertThat(x.target().port()).isEqualTo(x.failed().port());
            assertThat(x.target().datadir()).isEqualTo(x.failed().datadir());
            assertThat(stepNames(x)).containsExactly("StopIfRunning", "AllowHost", "EnsureSlot", "BaseBackup",
                    "ConfigureMirror", "MoveInCatalog", "Start");
        });
    }

    @Test
    void spareHost_portAndDirectoryTaken_nextFreePort_suffixedDirectory() {
        SparePlacement.Availability busy = new SparePlacement.Availability() {
            public boolean portFree(String host, int port) {
                return port != 6000 && port != 6001;
            }

            public boolean dirFree(String host, String datadir) {
                return !datadir.equals("/p/gpseg0") && !datadir.equals("/p/gpseg0_r1");
            }
        };
        RecoveryRequest r = new RecoveryRequest(RecoveryType.FULL, Optional.empty(), "", List.of("h3"));
        RecoveryPlan p = RecoveryPlanner.plan(CATALOG, r, Set.of(), busy);
        SegmentRecovery dbid2 = p.recoveries().get(0);
        assertThat(dbid2.target()).isEqualTo(new Place("h3", 6002, "/p/gpseg0_r2"));
        assertThat(p.recoveries().get(1).target()).isEqualTo(new Place("h3", 7000, "/m/gpseg1"));
    }

    @Test
    void spareHost_directoryThatWouldHoldAnotherInstances_isTakenByTheRule_suffixedInstead() {
        List<Segment> cat = new java.util.ArrayList<>(CATALOG);
        cat.add(seg(8, 3, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, "h3", 7003, "/p/gpseg0/inner"));
        cat.add(seg(9, 3, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, "h2", 6003, "/p/gpseg3"));
        RecoveryRequest r = new RecoveryRequest(RecoveryType.FULL, Optional.empty(), "", List.of("h3"));
        RecoveryPlan p = RecoveryPlanner.plan(cat, r, Set.of());
        assertThat(p.recoveries().get(0).target()).isEqualTo(new Place("h3", 6000, "/p/gpseg0_r1"));
    }

    @Test
    void spareHosts_fewerThanFailedHosts_refused_elseOneSparePerFailedHostInOrder() {
        List<Segment> cat = List.of(CATALOG.get(0),
                seg(2, 0, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.DOWN, "h1", 7000, "/m/gpseg"),
                seg(3, 0, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, "h2", 6000, "/p/gpseg0"),
                seg(4, 1, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.DOWN, "h4", 7000, "/m/gpseg"),
                seg(5, 1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, "h2", 6001, "/p/gpseg1"));
        RecoveryRequest r = new RecoveryRequest(RecoveryType.FULL, Optional.empty(), "", List.of("h3"));
        assertThat(problems(cat, r, Set.of())).singleElement().asString()
                .contains("2 hosts have failed instances").contains("-p names 1 spare host");
        RecoveryPlan p = RecoveryPlanner.plan(cat, new RecoveryRequest(RecoveryType.FULL, Optional.empty(), "",
                List.of("h3", "h5")), Set.of());
        assertThat(p.recoveries()).extracting(SegmentRecovery::target)
                .containsExactly(new Place("h3", 7000, "/m/gpseg"), new Place("h5", 7000, "/m/gpseg"));
    }

    @Test
    void spareHost_onTheHostOfTheContentsPrimary_refused() {
        RecoveryRequest r = new RecoveryRequest(RecoveryType.FULL, Optional.empty(), "", List.of("h2"));
        assertThat(problems(r)).anyMatch(s -> s.contains("the host of its own primary"));
    }

    @Test
    void configFile_onlyListedInstances_inFileOrder() {
        RecoveryPlan p = plan(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1\n"));
        assertThat(p.recoveries()).singleElement().satisfies(r -> {
            assertThat(r.failed().dbid()).isEqualTo(5);
            assertThat(r.line()).isEqualTo(1);
            assertThat(r.type()).isEqualTo(RecoveryType.INCREMENTAL);
        });
    }

    @Test
    void configFile_linePrefixOverridesTheFlag() {
        RecoveryPlan p = plan(withFile(RecoveryType.INCREMENTAL, "F|h1|6000|/p/gpseg0\nh1|7000|/m/gpseg1\n"));
        assertThat(p.recoveries()).extracting(SegmentRecovery::type)
                .containsExactly(RecoveryType.FULL, RecoveryType.INCREMENTAL);
        RecoveryPlan q = plan(withFile(RecoveryType.FULL, "I|h1|6000|/p/gpseg0\nh1|7000|/m/gpseg1\n"));
        assertThat(q.recoveries()).extracting(SegmentRecovery::type)
                .containsExactly(RecoveryType.INCREMENTAL, RecoveryType.FULL);
    }

    @Test
    void configFile_differentialLine_differentialForThatLineOnly() {
        RecoveryPlan p = plan(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1\nD|h1|6000|/p/gpseg0\n"));
        assertThat(p.recoveries()).extracting(SegmentRecovery::type)
                .containsExactly(RecoveryType.INCREMENTAL, RecoveryType.DIFFERENTIAL);
    }

    @Test
    void configFile_newPlace_alwaysFull_movesInCatalog_neverRemovesTheNewDirectory() {
        RecoveryPlan p = plan(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h1|7100|/new/gpseg1\n"));
        SegmentRecovery r = p.recoveries().get(0);
        assertThat(r.type()).isEqualTo(RecoveryType.FULL);
        assertThat(r.relocates()).isTrue();
        assertThat(r.why()).contains("new place");
        assertThat(stepNames(r)).containsExactly("StopIfRunning", "EnsureSlot", "BaseBackup", "ConfigureMirror",
                "MoveInCatalog", "Start");
        assertThat(((Step.StopIfRunning) r.steps().get(0)).at()).isEqualTo(new Place("h1", 7000, "/m/gpseg1"));
    }

    @Test
    void configFile_unknownInstance_withLine() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "# c\nh9|1|/x\n"))).containsExactly(
                "rc:2: no instance at h9|1|/x in gp_segment_configuration");
    }

    @Test
    void configFile_instanceThatIsUp_refused() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "h1|6001|/p/gpseg2\n"))).singleElement().asString()
                .isEqualTo("rc:1: [content=2 dbid=6] h1|6001|/p/gpseg2 is up: only instances marked down (d) are recovered");
    }

    @Test
    void configFile_coordinator_refused() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "h1|5000|/c/gpseg-1\n"))).singleElement().asString()
                .contains("is the coordinator");
    }

    @Test
    void configFile_sameInstanceTwice_refused() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1\nh1|7000|/m/gpseg1 h1|7100|/n\n")))
                .singleElement().asString().startsWith("rc:2: [content=1 dbid=5]").endsWith("is already listed on line 1");
    }

    @Test
    void configFile_duplicateTargets_refused() {
        List<String> p = problems(withFile(RecoveryType.INCREMENTAL,
                "h1|7000|/m/gpseg1 h3|7100|/n/a\nh1|6000|/p/gpseg0 h3|7100|/n/b\nh1|6000|/p/gpseg0 h3|7200|/n/a\n"));
        assertThat(p).anyMatch(s -> s.startsWith("rc:2:") && s.contains("port 7100 on host h3 is used by the new place on line 1 for mirror content 1 (dbid 5)"));
        // line 3 names dbid 2 again and reuses line 1's directory: both reported
        assertThat(p).anyMatch(s -> s.startsWith("rc:3:") && s.contains("already listed on line 2"));
    }

    @Test
    void configFile_duplicateTargetDirectory_refused() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL,
                "h1|7000|/m/gpseg1 h3|7100|/n/a\nh1|6000|/p/gpseg0 h3|7200|/n/a\n")))
                .singleElement().asString().isEqualTo("rc:2: new place h3|7200|/n/a: data directory /n/a on host h3 is the data "
                        + "directory of the new place on line 1 for mirror content 1 (dbid 5)");
    }

    @Test
    void configFile_targetPortInUseByAnotherCatalogRow_refused() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h1|6001|/new/gpseg1\n")))
                .singleElement().asString()
                .isEqualTo("rc:1: new place h1|6001|/new/gpseg1: port 6001 on host h1 is used by primary content 2 (dbid 6)");
    }

    @Test
    void configFile_targetDirectoryInUseByAnotherCatalogRow_refused() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h1|7999|/p/gpseg2\n")))
                .singleElement().asString().contains("is the data directory of primary content 2 (dbid 6)");
    }

    @Test
    void configFile_targetInsideAnotherInstancesDirectory_refused_namingIt() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h1|7999|/p/gpseg2/inner\n")))
                .containsExactly("rc:1: new place h1|7999|/p/gpseg2/inner: data directory /p/gpseg2/inner on host h1 "
                        + "lies inside /p/gpseg2, the data directory of primary content 2 (dbid 6)");
    }

    @Test
    void configFile_targetHoldingAnotherInstancesDirectory_refused() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h1|7999|/p\n")))
                .anyMatch(s -> s.contains("contains /p/gpseg2, the data directory of primary content 2 (dbid 6)"))
                .anyMatch(s -> s.contains("contains /p/gpseg0, the data directory of mirror content 0 (dbid 2)"));
    }

    @Test
    void configFile_twoNewPlacesNestedInEachOther_refused() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL,
                "h1|7000|/m/gpseg1 h3|7100|/n\nh1|6000|/p/gpseg0 h3|7200|/n/gpseg0\n")))
                .containsExactly("rc:2: new place h3|7200|/n/gpseg0: data directory /n/gpseg0 on host h3 lies inside "
                        + "/n, the data directory of the new place on line 1 for mirror content 1 (dbid 5)");
    }

    @Test
    void configFile_movingAwayFromItsOwnPlace_evenBelowIt_isNoConflictWithItself() {
        RecoveryPlan p = plan(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h1|7100|/m/gpseg1/moved\n"));
        assertThat(p.recoveries()).singleElement().satisfies(r -> assertThat(r.relocates()).isTrue());
    }

    @Test
    void configFile_targetOnItsPrimarysHost_refused() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h2|7999|/n/gpseg1\n")))
                .singleElement().asString().contains("the host of its own primary [content=1 dbid=4]");
    }

    @Test
    void actingPrimaryDown_doubleFault_cannotRecover() {
        List<String> p = problems(CATALOG, RecoveryRequest.all(RecoveryType.INCREMENTAL), Set.of(3));
        assertThat(p).singleElement().asString().contains("[content=0 dbid=2] cannot be recovered")
                .contains("acting primary dbid 3").contains("double fault");
    }

    @Test
    void allProblemsReportedTogether_andNothingPlanned() {
        RecoverConfigException e = catchThrowableOfType(RecoverConfigException.class, () -> RecoveryPlanner.plan(CATALOG,
                withFile(RecoveryType.INCREMENTAL, "h9|1|/x\nh1|6001|/p/gpseg2\nh1|7000|/m/gpseg1\n"), Set.of()));
        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).startsWith("cannot plan the recovery (nothing was changed)");
    }

    @Test
    void fallbackToFull_keepsTargetAndSaysWhy() {
        SegmentRecovery inc = plan(RecoveryRequest.all(RecoveryType.INCREMENTAL)).recoveries().get(0);
        SegmentRecovery full = inc.asFull("slot lost");
        assertThat(full.type()).isEqualTo(RecoveryType.FULL);
        assertThat(full.why()).isEqualTo("slot lost");
        assertThat(full.target()).isEqualTo(inc.target());
        assertThat(stepNames(full)).contains("RemoveDataDirectory", "BaseBackup");
    }

    @Test
    void renderers_textAndJson() {
        RecoveryPlan p = plan(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h1|7100|/new/gpseg1\nh1|6000|/p/gpseg0\n"));
        String text = PlanRenderer.text(p);
        assertThat(text).startsWith("Recovery plan: 2 instances\n")
                .contains("1. content 1, dbid 5: full recovery (recovery to a new place is always full)")
                .contains("   target : h1|7100|/new/gpseg1")
                .contains("2. content 0, dbid 2: incremental recovery (incremental (the default))")
                .contains("pg_rewind /p/gpseg0 from h2:7000");
        String json = PlanRenderer.json(p);
        assertThat(json).contains("\"type\" : \"full\"").contains("\"configLine\" : 1").contains("\"step\" : \"MoveInCatalog\"");
    }

    @Test
    void byHost_groupsByTargetAddress() {
        RecoveryPlan p = plan(RecoveryRequest.all(RecoveryType.INCREMENTAL));
        assertThat(p.byHost()).containsOnlyKeys("h1");
        assertThat(p.byHost().get("h1")).hasSize(2);
    }

    @Test
    void failedPlaceRepeated_fullRecoveryInPlace_besideAnIncrementalLine() {
        RecoveryPlan p = plan(withFile(RecoveryType.INCREMENTAL, "h1|6000|/p/gpseg0 h1|6000|/p/gpseg0/\nh1|7000|/m/gpseg1\n"));
        SegmentRecovery full = p.recoveries().get(0);
        assertThat(full.type()).isEqualTo(RecoveryType.FULL);
        assertThat(full.relocates()).isFalse();
        assertThat(full.why()).isEqualTo("the line names its place twice: a full recovery in place");
        assertThat(stepNames(full)).contains("RemoveDataDirectory", "BaseBackup").doesNotContain("MoveInCatalog");
        assertThat(p.recoveries().get(1).type()).isEqualTo(RecoveryType.INCREMENTAL);
    }

    @Test
    void hostnameForm_failedHostnameMustBeTheCatalogs_newPlacesHostnameGoesToTheRow() {
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "sdw9|h1|6000|/p/gpseg0\n"))).containsExactly(
                "rc:1: dbid 2 h1|6000|/p/gpseg0 has hostname h1 in gp_segment_configuration, not sdw9".replace(
                        "dbid 2", CATALOG.get(1).subject()));
        RecoveryPlan p = plan(withFile(RecoveryType.INCREMENTAL, "h1|h1|7000|/m/gpseg1 sdw3|h3|7100|/n/gpseg1\n"));
        SegmentRecovery r = p.recoveries().get(0);
        assertThat(r.targetHostname()).isEqualTo("sdw3");
        assertThat(SegmentRecoverer.targetSegment(r).hostname()).isEqualTo("sdw3");
        assertThat(SegmentRecoverer.targetSegment(r).address()).isEqualTo("h3");
        // without a hostname on the line, the address stands for it, as before
        SegmentRecovery plain = plan(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h3|7100|/n/gpseg1\n"))
                .recoveries().get(0);
        assertThat(SegmentRecoverer.targetSegment(plain).hostname()).isEqualTo("h3");
    }

    @Test
    void hostnameForm_newPlaceOnThePrimarysMachine_byHostname_refused() {
        // content 1's primary (dbid 4) is on h2; a new place on another address of machine h2 is no other host
        assertThat(problems(withFile(RecoveryType.INCREMENTAL, "h1|7000|/m/gpseg1 h2|h2-eth1|7100|/n/gpseg1\n")))
                .anyMatch(m -> m.contains("the host of its own primary"));
    }
}
