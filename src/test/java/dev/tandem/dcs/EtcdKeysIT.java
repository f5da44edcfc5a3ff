package dev.tandem.dcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.testing.etcd.EtcdMembers;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The coordinator key and the daemons' member keys on a real one-member etcd; no PostgreSQL. */
@Timeout(120)
class EtcdKeysIT {

    static EtcdMembers etcd;

    @BeforeAll
    static void start() {
        etcd = EtcdMembers.start(1, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (etcd != null) etcd.close();
    }

    static EtcdSettings settings(String prefix) {
        return new EtcdSettings(List.of(etcd.clientUrl(0)), prefix, null, null, null, null, null, false, 2, true);
    }

    @Test
    void publishedCoordinator_readBackAsWritten_absentIsEmpty() throws Exception {
        EtcdSettings s = settings("/tandem/keys-it-a/");
        try (Client c = EtcdClients.open(s)) {
            assertThat(PublishedCoordinator.read(c, s)).isEmpty();
            PublishedCoordinator p = new PublishedCoordinator("scdw", "127.0.0.2", 5433, "/data/standby/gpseg-1", "now");
            p.publish(c, s);
            assertThat(PublishedCoordinator.read(c, s)).contains(p);
        }
    }

    @Test
    void members_listedWhileRegistered_goneWhenStopped() throws Exception {
        EtcdSettings s = settings("/tandem/keys-it-b/");
        try (Client c = EtcdClients.open(s)) {
            MemberRegistration m = new MemberRegistration(c, s, "d1");
            Thread t = Thread.ofPlatform().name("member-it").start(m);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> EtcdView.of(c, s).daemons().size() == 1);
                EtcdView.Report r = EtcdView.of(c, s);
                assertThat(r.daemons()).singleElement().satisfies(d -> {
                    assertThat(d.host()).isEqualTo("d1");
                    assertThat(d.pid()).isEqualTo(ProcessHandle.current().pid());
                });
                assertThat(r.daemonsLine()).isEqualTo("d1 pid " + ProcessHandle.current().pid() + " (follower)");
                // renewed: still there after three lease periods
                Thread.sleep(Duration.ofSeconds(3 * s.leaseTtlSeconds()));
                assertThat(EtcdView.of(c, s).daemons()).hasSize(1);
            } finally {
                m.stop();
                t.join(10_000);
            }
            assertThat(EtcdView.of(c, s).daemons()).as("revoked at stop").isEmpty();
            assertThat(EtcdView.of(c, s).leader()).isEqualTo(Optional.empty());
        }
    }
}
