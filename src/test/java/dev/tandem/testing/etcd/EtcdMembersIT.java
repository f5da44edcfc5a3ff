package dev.tandem.testing.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness itself, against real etcd: three members answer; one killed, the other two still commit writes; two
 * killed, a write cannot commit; a killed member restarted on its data directory rejoins and quorum is back; a
 * frozen member does not stop the other two. Every process is gone after close.
 */
@Timeout(180)
class EtcdMembersIT {

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static void put(Client c, String key, String value) throws Exception {
        long t0 = System.nanoTime();
        try {
            c.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
        } finally {
            System.out.printf("put %s=%s: %d ms%n", key, value, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * A write right after a member is lost may meet a leader election (or, on a loaded machine, a proposal that the
     * old leader dropped: "request timed out"). Quorum means the write commits once a leader is elected, so it is
     * retried, a bounded number of times within a bound.
     */
    static void putOnceElected(Client c, String key, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        for (int attempt = 1; ; attempt++) {
            try {
                put(c, key, value);
                return;
            } catch (Exception e) {
                if (attempt >= 6 || System.nanoTime() > deadline) throw e;
                System.out.printf("attempt %d failed (%s); retrying%n", attempt, e.getMessage());
                Thread.sleep(500);
            }
        }
    }

    static String get(Client c, String key) throws Exception {
        var kvs = c.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getKvs();
        return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
    }

    @Test
    void quorumLostAndRegained_frozenMemberTolerated_everythingStoppedAtClose() throws Exception {
        long[] pids = new long[3];
        try (EtcdMembers etcd = EtcdMembers.start(3, Duration.ofSeconds(30));
             Client c = Client.builder().endpoints(etcd.endpoints().split(",")).build()) {
            for (int i = 0; i < 3; i++) pids[i] = etcd.pid(i);
            put(c, "/it/a", "1");
            assertThat(get(c, "/it/a")).isEqualTo("1");

            etcd.kill(0);
            assertThat(ProcessHandle.of(pids[0]).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            putOnceElected(c, "/it/a", "2"); // two of three: quorum
            assertThat(get(c, "/it/a")).isEqualTo("2");

            etcd.kill(1);
            assertThatThrownBy(() -> put(c, "/it/a", "3")).as("one of three cannot commit").isNotNull();

            etcd.restart(0);
            etcd.restart(1);
            etcd.awaitHealthy(Duration.ofSeconds(30));
            putOnceElected(c, "/it/a", "4");
            assertThat(get(c, "/it/a")).isEqualTo("4");

            etcd.freeze(2);
            assertThat(etcd.healthy(2)).as("a frozen member does not answer").isFalse();
            try (Client two = Client.builder().endpoints(etcd.clientUrl(0), etcd.clientUrl(1)).build()) {
                putOnceElected(two, "/it/a", "5"); // the other two still commit
            }
            etcd.thaw(2);
            etcd.awaitHealthy(Duration.ofSeconds(30));
            assertThat(get(c, "/it/a")).isEqualTo("5");
            pids[0] = etcd.pid(0);
            pids[1] = etcd.pid(1);
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
    }
}
