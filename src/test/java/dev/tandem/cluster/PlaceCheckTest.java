package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.host.HostFiles;
import dev.tandem.host.HostRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The placement rule on real paths, with hosts that answer realpath from a table of links (no processes). */
class PlaceCheckTest {

    static final Segment P0 = new Segment(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 6000, "h1", "h1",
            "/data/primary/gpseg0");
    static final Segment M1 = new Segment(5, 1, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.DOWN, 7000, "h1", "h1",
            "/data/mirror/gpseg1");

    /** realpath -m as a host with the links in {@code links} (prefix → target) would answer; records the calls. */
    static final class LinkedHost implements HostRunner {
        final Map<String, String> links;
        final List<Command> calls = new ArrayList<>();

        LinkedHost(Map<String, String> links) {
            this.links = links;
        }

        public CommandResult run(Command c) {
            calls.add(c);
            StringBuilder out = new StringBuilder();
            for (String p : c.argv().subList(4, c.argv().size())) {
                String r = p;
                for (Map.Entry<String, String> l : links.entrySet()) {
                    if (r.equals(l.getKey()) || r.startsWith(l.getKey() + "/")) r = l.getValue() + r.substring(l.getKey().length());
                }
                out.append(r).append('\0');
            }
            return new CommandResult(c, 0, out.toString(), "", Duration.ZERO);
        }

        public boolean reaches(String host) {
            return true;
        }
    }

    static PlaceCheck check(LinkedHost host) {
        return new PlaceCheck(new HostFiles(host, "postgres"));
    }

    @Test
    void aLinkedNewPlaceInsideAnotherInstance_isRefused_andRealpathRunsAsTheOsUser_oncePerHost() {
        LinkedHost h = new LinkedHost(Map.of("/disk2/p0", "/data/primary/gpseg0"));
        Segment moved = M1.withPlace("h1", "h1", 7100, "/disk2/p0/gpseg1");
        List<String> p = check(h).conflicts(List.of(P0, M1), List.of(new PlaceCheck.Candidate(moved, "rc:1: new place")));
        assertThat(p).containsExactly("rc:1: new place: data directory /disk2/p0/gpseg1 (real path "
                + "/data/primary/gpseg0/gpseg1) on host h1 lies inside /data/primary/gpseg0, the data directory of "
                + "primary content 0 (dbid 2)");
        assertThat(h.calls).singleElement().satisfies(c -> {
            assertThat(c.argv().subList(0, 4)).containsExactly("realpath", "-m", "-z", "--");
            if ("root".equals(System.getProperty("user.name"))) assertThat(c.asUser()).contains("postgres");
        });
    }

    @Test
    void movingAwayFromItsOwnPlace_isNoConflict_andAnInPlaceTargetIsNotCountedTwice() {
        LinkedHost h = new LinkedHost(Map.of());
        Segment moved = M1.withPlace("h1", "h1", 7000, "/data/mirror/gpseg1/new");
        assertThat(check(h).conflicts(List.of(P0, M1), List.of(new PlaceCheck.Candidate(moved, "x")))).isEmpty();
        Segment inside = new Segment(9, 3, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.DOWN, 7003, "h1", "h1",
                "/data/mirror/gpseg1/planted");
        assertThat(check(h).conflicts(List.of(P0, M1, inside), List.of(new PlaceCheck.Candidate(M1, "a"),
                new PlaceCheck.Candidate(inside, "b")))).containsExactly(
                "a: data directory /data/mirror/gpseg1 on host h1 contains /data/mirror/gpseg1/planted, the data "
                        + "directory of mirror content 3 (dbid 9)",
                "b: data directory /data/mirror/gpseg1/planted on host h1 lies inside /data/mirror/gpseg1, the data "
                        + "directory of mirror content 1 (dbid 5)");
    }

    @Test
    void newPlacesOfOneRun_areCheckedAgainstEachOther() {
        LinkedHost h = new LinkedHost(Map.of());
        Segment a = M1.withPlace("h3", "h3", 7100, "/n");
        Segment b = P0.withPlace("h3", "h3", 7200, "/n/gpseg0");
        assertThat(check(h).conflicts(List.of(P0, M1), List.of(new PlaceCheck.Candidate(a, "1"),
                new PlaceCheck.Candidate(b, "2")))).containsExactly("2: data directory /n/gpseg0 on host h3 lies inside "
                + "/n, the data directory of the new place of mirror content 1 (dbid 5)");
    }

    @Test
    void aHostThatCannotResolve_fallsBackToThePathsAsWritten() {
        HostRunner broken = new HostRunner() {
            public CommandResult run(Command c) {
                return new CommandResult(c, 1, "", "realpath: not found", Duration.ZERO);
            }

            public boolean reaches(String host) {
                return true;
            }
        };
        Segment nested = M1.withPlace("h1", "h1", 7100, "/data/primary/gpseg0/x");
        assertThat(new PlaceCheck(new HostFiles(broken, "postgres")).conflicts(List.of(P0, M1),
                List.of(new PlaceCheck.Candidate(nested, "n")))).singleElement().asString().contains("lies inside");
    }
}
