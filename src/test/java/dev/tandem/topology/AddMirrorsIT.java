package dev.tandem.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.Writer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code tandem addmirrors} on a real cluster made with no mirrors (3 hosts on loopback addresses, 2 primaries each),
 * with FTS running and a writer committing on content 0 throughout: the plan ({@code --dry-run}, {@code -o}), a run
 * killed with {@code kill -9} once it has added the catalog rows, the same command re-run to the end, every pair then
 * in sync with every acknowledged row on its mirror, and a failover onto a new mirror.
 */
class AddMirrorsIT {

    static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");

    @Test
    void addmirrors_killedMidway_reRun_everyPairInSync_andAFailoverOntoANewMirrorLosesNothing() throws Exception {
        try (TestCluster tc = TestCluster.createUnmirrored("addmirrors", HOSTS, 2);
             InProcessFts fts = TestCluster.startFts(tc.cluster())) {
            String dir = tc.cluster().descriptor().datadir().toString();
            Segment p0 = primary(tc, 0);
            // ~40 MB on content 0, so that its copy takes long enough to be caught in the middle
            Sql.exec(tc.cluster(), p0, "CREATE TABLE ballast AS SELECT g AS id, repeat('x', 200) AS pad "
                    + "FROM generate_series(1, 150000) g");
            Path locations = tc.base().resolve("mirror-locations");
            Files.writeString(locations, "# one per primary of a host\n" + tc.base().resolve("mirror") + "\n"
                    + tc.base().resolve("mirror") + "\n");
            List<Segment> before = tc.config();

            Path three = tc.base().resolve("three-locations");
            Files.writeString(three, "/a\n/b\n/c\n");
            Cli.Result bad = Cli.run("addmirrors", "-a", "-m", three.toString(), "-d", dir);
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.err()).contains("give 2 mirror data location(s), one per primary of a host");
            assertThat(tc.config()).as("a refused plan changes nothing").isEqualTo(before);

            Path sample = tc.base().resolve("mirrors.conf");
            Cli.Result o = Cli.run("addmirrors", "-o", sample.toString(), "-m", locations.toString(), "-d", dir);
            assertThat(o.exitCode()).as(o.err()).isZero();
            List<String> lines = Files.readAllLines(sample).stream().filter(l -> !l.startsWith("#")).toList();
            assertThat(lines).hasSize(6);
            assertThat(lines.get(0)).isEqualTo("0|127.0.0.2|" + (p0.port() + 1000) + "|" + tc.base().resolve("mirror/gpseg0"));
            assertThat(tc.config()).as("-o changes nothing").isEqualTo(before);

            try (Writer w = new Writer(tc.cluster(), 0)) {
                await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > 20);
                AtomicLong maxGapMs = new AtomicLong();
                Thread gaps = Thread.ofPlatform().daemon().start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        maxGapMs.accumulateAndGet(w.nanosSinceLastAck() / 1_000_000, Math::max);
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });

                // a run killed once its rows are in the catalog: mirrors added, down, not (all) built
                Process first = tandemProcess(tc.base().resolve("addmirrors-1.log"), "addmirrors", "-a", "-i",
                        sample.toString(), "-d", dir);
                try {
                    await().atMost(Timeouts.seconds(120)).pollInterval(Duration.ofMillis(10))
                            .until(() -> tc.config().size() > before.size() || !first.isAlive());
                } finally {
                    Faults.signal("KILL", pidsOfGroup(first.pid()));
                    first.waitFor(30, TimeUnit.SECONDS);
                }
                System.out.println("[addmirrors-it] first run's output:\n" + Files.readString(tc.base().resolve("addmirrors-1.log")));
                List<Segment> afterKill = tc.config();
                assertThat(afterKill.stream().filter(s -> s.isMirror() && s.content() >= 0)).hasSize(6);
                assertThat(afterKill.stream().filter(s -> s.isMirror() && s.status() == Status.DOWN))
                        .as("killed while building: some mirror is still down").isNotEmpty();
                long ackedAtKill = w.ackedCount();

                Cli.Result second = Cli.run("addmirrors", "-a", "-i", sample.toString(), "-d", dir);
                assertThat(second.exitCode()).as(second.err()).isZero();
                gaps.interrupt();
                assertThat(w.ackedCount()).as("commits went on while the mirrors were built").isGreaterThan(ackedAtKill);
                System.out.println("[addmirrors-it] longest wait between acknowledged commits on content 0 while "
                        + "mirrors were added: " + maxGapMs.get() + " ms");
            }

            List<Segment> after = tc.config();
            for (Segment s : after) {
                if (s.content() < 0) continue;
                assertThat(s.status()).as(s.subject()).isEqualTo(Status.UP);
                assertThat(s.mode()).as(s.subject()).isEqualTo(Mode.SYNCED);
            }
            for (int content = 0; content < 6; content++) {
                Segment p = primary(tc, content);
                assertThat(Sql.one(tc.cluster(), p, "SELECT string_agg(sync_state, ',') FROM pg_stat_replication"))
                        .as("content " + content).isEqualTo("sync");
            }
            try (Connection c = tc.cluster().coordinatorConnection()) {
                assertThat(CatalogStore.history(c)).anyMatch(h -> h.desc().contains("tandem addmirrors: mirror for content 0 added"));
                assertThat(Sql.rows(c, "SELECT count(*) FROM tandem.addmirrors_journal").get(0).get(0)).isEqualTo("0");
            }
            Cli.Result again = Cli.run("addmirrors", "--dry-run", "-m", locations.toString(), "-d", dir);
            assertThat(again.exitCode()).as(again.err()).isZero();

            // the new mirror of content 0 takes over, with every acknowledged row and the ballast
            Segment m0 = after.stream().filter(s -> s.content() == 0 && s.isMirror()).findFirst().orElseThrow();
            Set<Long> acked;
            try (Writer w = new Writer(tc.cluster(), 0)) {
                await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > 20);
                Faults.kill9(primary(tc, 0));
                await().atMost(Timeouts.seconds(60)).until(() -> primary(tc, 0).dbid() == m0.dbid());
                long n = w.ackedCount();
                await().atMost(Timeouts.seconds(60)).until(() -> w.ackedCount() > n + 5);
                acked = new HashSet<>(w.acked());
            }
            Segment now = primary(tc, 0);
            Set<Long> present = new HashSet<>();
            for (List<String> r : Sql.rows(tc.cluster(), now, "SELECT id FROM " + "acked_0")) present.add(Long.parseLong(r.get(0)));
            assertThat(present).containsAll(acked);
            assertThat(Sql.one(tc.cluster(), now, "SELECT count(*) FROM ballast")).isEqualTo("150000");
        }
    }

    static Segment primary(TestCluster tc, int content) throws Exception {
        return tc.config().stream().filter(s -> s.content() == content && s.isPrimary()).findFirst().orElseThrow();
    }

    /** The CLI in its own process and session, so that it and the pg_basebackup it runs can be killed together. */
    static Process tandemProcess(Path log, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setsid", ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "dev.tandem.cli.Main"));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** The process and every process of its session (setsid made it the leader: session id = its pid). */
    static List<Long> pidsOfGroup(long leader) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(ph -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + ph.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(f[3]) == leader) pids.add(ph.pid()); // field 6 of stat: the session id
            } catch (Exception e) {
                // gone meanwhile
            }
        });
        return pids;
    }
}
