package dev.tandem.dcs;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An FTS daemon says it is there: the key {@code <prefix>fts/members/<host>-<pid>} attached to a lease of its own
 * (not the leader's), renewed every third of the lease, so that {@code tandem state} lists the followers as well as
 * the leader, and a daemon that dies drops out of the list within one lease. When etcd forgets the lease (an
 * outage longer than it), the daemon registers again. Nothing decides on these keys: they are for people.
 *
 * <p>Concurrency: {@link #run()} on one thread owns the etcd calls; {@link #stop()} from any thread.
 */
public final class MemberRegistration implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(MemberRegistration.class);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    private final Client client;
    private final EtcdSettings settings;
    private final ByteSequence key;
    private final LeaderRecord me;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long lease;
    private boolean failing;

    public MemberRegistration(Client client, EtcdSettings settings, String host) {
        this.client = client;
        this.settings = settings;
        long pid = ProcessHandle.current().pid();
        this.key = LeaderElection.bytes(settings.membersPrefix() + host + "-" + pid);
        this.me = new LeaderRecord(host, pid, Instant.now().toString());
    }

    public void stop() {
        stopped.countDown();
    }

    @Override
    public void run() {
        Duration every = Duration.ofSeconds(settings.leaseTtlSeconds()).dividedBy(3);
        try {
            do {
                try {
                    step();
                    if (failing) LOG.info("FTS member key {} registered again", key);
                    failing = false;
                } catch (TimeoutException | ExecutionException | RuntimeException e) {
                    if (!failing) LOG.warn("FTS member key {} not renewed: {}", key, LeaderElection.summary(e));
                    failing = true;
                }
            } while (!stopped.await(every.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            revoke();
        }
    }

    private void step() throws TimeoutException, ExecutionException, InterruptedException {
        if (lease != 0) {
            LeaseKeepAliveResponse r = await(client.getLeaseClient().keepAliveOnce(lease));
            if (r.getTTL() > 0) return;
            lease = 0; // etcd forgot it: the key went with it
        }
        LeaseGrantResponse g = await(client.getLeaseClient().grant(settings.leaseTtlSeconds()));
        await(client.getKVClient().put(key, LeaderElection.bytes(me.toJson()),
                PutOption.builder().withLeaseId(g.getID()).build()));
        lease = g.getID();
    }

    private void revoke() {
        if (lease == 0) return;
        try {
            await(client.getLeaseClient().revoke(lease));
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("member lease not revoked ({}); it expires by itself", LeaderElection.summary(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws TimeoutException, ExecutionException, InterruptedException {
        try {
            return f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        }
    }
}
