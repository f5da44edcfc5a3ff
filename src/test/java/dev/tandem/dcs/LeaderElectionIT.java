package dev.tandem.dcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.testing.etcd.EtcdMembers;
import dev.tandem.time.Time;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two candidates on a real 3-member etcd (no PostgreSQL): exactly one leads; a leader whose etcd client dies (as a
 * killed daemon's) stops acting by itself before the other is elected, and the other leads within about one lease with
 * a greater term; a leader that stops hands over at once; without quorum nobody leads, and with quorum back someone
 * does again.
 */
@Timeout(180)
class LeaderElectionIT {

    static EtcdMembers etcd;
    static int prefixes;

    @BeforeAll
    static void start() {
        etcd = EtcdMembers.start(3, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (etcd != null) etcd.close();
    }

    record Candidate(Client client, LeaderElection election, Thread thread) {
        void stop() throws InterruptedException {
            election.stop();
            thread.join(5_000);
            client.close();
        }
    }

    static EtcdSettings settings() {
        return new EtcdSettings(List.of(etcd.endpoints().split(",")), "/tandem/it-" + (++prefixes) + "/", null, null,
                null, null, null, false, 2, false);
    }

    static Candidate candidate(EtcdSettings s, String host) {
        return candidate(s, host, false);
    }

    static Candidate candidate(EtcdSettings s, String host, boolean onCoordinatorHost) {
        Client c = EtcdClients.open(s);
        LeaderElection e = new LeaderElection(c, s, host, onCoordinatorHost, Time.SYSTEM);
        return new Candidate(c, e, Thread.ofPlatform().name("election-" + host).start(e));
    }

    /** Stops every candidate's election first (so none takes over from another being stopped), then the rest. */
    static void stopAll(Candidate... cs) throws InterruptedException {
        for (Candidate c : cs) c.election().stop();
        for (Candidate c : cs) c.thread().join(5_000);
        for (Candidate c : cs) c.client().close();
    }

    static long leaders(Candidate... cs) {
        return java.util.Arrays.stream(cs).filter(c -> c.election().leadingTerm().isPresent()).count();
    }

    @Test
    void oneLeads_aDeadLeaderStopsActingBeforeTheOtherIsElected_withinAboutOneLease() throws Exception {
        EtcdSettings s = settings();
        Candidate a = candidate(s, "a");
        Candidate b = candidate(s, "b");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> leaders(a, b) == 1);
            Candidate leader = a.election().leadingTerm().isPresent() ? a : b;
            Candidate other = leader == a ? b : a;
            long term = leader.election().leadingTerm().orElseThrow();
            for (int i = 0; i < 10; i++) { // and it stays so
                assertThat(leaders(a, b)).isEqualTo(1);
                Thread.sleep(200);
            }
            long t0 = System.nanoTime();
            leader.client().close(); // a killed daemon: no more renewals, no resignation
            long stoppedActing = -1;
            long otherLeads = -1;
            while (System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos() && otherLeads < 0) {
                if (stoppedActing < 0 && leader.election().leadingTerm().isEmpty()) stoppedActing = System.nanoTime() - t0;
                if (other.election().leadingTerm().isPresent()) otherLeads = System.nanoTime() - t0;
                Thread.sleep(10);
            }
            System.out.printf("old leader stopped acting after %d ms; new leader after %d ms (lease %d s)%n",
                    stoppedActing / 1_000_000, otherLeads / 1_000_000, s.leaseTtlSeconds());
            assertThat(stoppedActing).as("the old leader stops acting by itself").isPositive();
            assertThat(otherLeads).as("the other leads").isPositive();
            assertThat(stoppedActing).as("never two acting").isLessThan(otherLeads);
            assertThat(otherLeads).as("within about a lease").isLessThan(Duration.ofSeconds(s.leaseTtlSeconds() + 2).toNanos());
            assertThat(other.election().leadingTerm().orElseThrow()).as("a greater term").isGreaterThan(term);
            leader.election().stop();
            leader.thread().join(5_000);
        } finally {
            stopAll(a, b);
        }
    }

    @Test
    void aLeaderThatStopsHandsOverAtOnce_andWithoutQuorumNobodyLeads() throws Exception {
        EtcdSettings s = settings();
        Candidate a = candidate(s, "a");
        Candidate b = candidate(s, "b");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> leaders(a, b) == 1);
            Candidate leader = a.election().leadingTerm().isPresent() ? a : b;
            Candidate other = leader == a ? b : a;
            long t0 = System.nanoTime();
            leader.stop();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> other.election().leadingTerm().isPresent());
            System.out.printf("resigned leader replaced after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(System.nanoTime() - t0).as("before the lease would have expired")
                    .isLessThan(Duration.ofSeconds(s.leaseTtlSeconds()).toNanos());

            etcd.kill(0);
            etcd.kill(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> other.election().leadingTerm().isEmpty());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> other.election().state() instanceof LeaderElection.State.Unavailable);
            Thread.sleep(3_000);
            assertThat(other.election().leadingTerm()).as("no quorum, no leader").isEmpty();

            etcd.restart(0);
            etcd.restart(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> other.election().leadingTerm().isPresent());
        } finally {
            stopAll(a, b);
        }
    }

    @Test
    void aCandidateOnTheCoordinatorHostLetsAnotherLead_andTakesOverOneLeasePeriodAfterTheKeyIsVacant() throws Exception {
        EtcdSettings plain = settings();
        EtcdSettings s = new EtcdSettings(plain.endpoints(), plain.prefix(), null, null, null, null, null, false, 2, true);
        Candidate onCoordinator = candidate(s, "cdw", true);
        Thread.sleep(300); // it even starts first
        Candidate elsewhere = candidate(s, "sdw1", false);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> leaders(onCoordinator, elsewhere) == 1);
            assertThat(elsewhere.election().leadingTerm()).as("the daemon off the coordinator host leads").isPresent();
            // the coordinator host's candidate has seen that leader (it looks every 250 ms): its wait counts from the
            // vacancy it sees next, not from the one it saw before anybody led
            await().atMost(Duration.ofSeconds(10)).until(() -> onCoordinator.election().state()
                    instanceof LeaderElection.State.Following f && f.term() > 0);
            long t0 = System.nanoTime();
            elsewhere.stop(); // resigns: the key is vacant at once
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> onCoordinator.election().leadingTerm().isPresent());
            long took = System.nanoTime() - t0;
            System.out.printf("the coordinator host's candidate took over after %d ms (lease %d s)%n", took / 1_000_000,
                    s.leaseTtlSeconds());
            assertThat(took).as("one lease period later, not at once")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(s.leaseTtlSeconds()).toNanos());
        } finally {
            stopAll(onCoordinator, elsewhere);
        }
    }
}
