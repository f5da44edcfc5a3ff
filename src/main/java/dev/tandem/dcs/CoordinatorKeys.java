package dev.tandem.dcs;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The coordinator's two keys under the cluster prefix: {@code coordinator} ({@link CoordinatorRecord}) and
 * {@code coordinator/standby} ({@link StandbySyncRecord}). Reads are quorum reads (etcd's default). Writes are made
 * only by the FTS leader and only while its leader key is still the one it created: one transaction compares the
 * leader key's create revision with the writer's term, so a deposed leader's write is refused by etcd itself.
 *
 * <p>Every call is bounded by {@link #TIMEOUT}; a call that etcd does not answer throws {@link EtcdUnavailable}.
 * Thread-safe (the jetcd client is).
 */
public final class CoordinatorKeys {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A client's first call includes its connection set-up: seconds on a loaded host (LeaderElection says the same). */
    public static final Duration FIRST_CALL_TIMEOUT = Duration.ofSeconds(5);

    /** etcd did not answer (no quorum, unreachable) within the bound: nothing is known, nothing was written. */
    public static final class EtcdUnavailable extends Exception {
        EtcdUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Client client;
    private final EtcdSettings settings;
    private final Duration timeout;

    public CoordinatorKeys(Client client, EtcdSettings settings) {
        this(client, settings, TIMEOUT);
    }

    /** @param timeout the bound of each call ({@link #FIRST_CALL_TIMEOUT} for a client used once) */
    public CoordinatorKeys(Client client, EtcdSettings settings, Duration timeout) {
        this.client = client;
        this.settings = settings;
        this.timeout = timeout;
    }

    public Optional<CoordinatorRecord> coordinator() throws EtcdUnavailable {
        return read(settings.coordinatorKey()).flatMap(CoordinatorRecord::fromJson);
    }

    public Optional<StandbySyncRecord> standby() throws EtcdUnavailable {
        return read(settings.standbyKey()).flatMap(StandbySyncRecord::fromJson);
    }

    /** @return false when {@code term} no longer holds the leader key (nothing written) */
    public boolean publish(CoordinatorRecord r, long term) throws EtcdUnavailable {
        return putAsLeader(settings.coordinatorKey(), r.toJson(), term);
    }

    /** @return false when {@code term} no longer holds the leader key (nothing written) */
    public boolean record(StandbySyncRecord r, long term) throws EtcdUnavailable {
        return putAsLeader(settings.standbyKey(), r.toJson(), term);
    }

    /**
     * {@code tandem activatestandby} by hand: the operator's word, under no term (a leader's automatic activation
     * publishes under its own). Without it the daemons would follow the coordinator etcd still names.
     */
    public void publishByOperator(CoordinatorRecord r) throws EtcdUnavailable {
        await(client.getKVClient().put(bytes(settings.coordinatorKey()), bytes(r.toJson())), "write "
                + settings.coordinatorKey());
        await(client.getKVClient().put(bytes(settings.standbyKey()), bytes(new StandbySyncRecord(0, "", "", 0, "",
                false, r.since(), "standby dbid " + r.dbid() + " activated by hand; no standby yet").toJson())),
                "write " + settings.standbyKey());
    }

    private Optional<String> read(String key) throws EtcdUnavailable {
        GetResponse g = await(client.getKVClient().get(bytes(key)), "read " + key);
        return g.getKvs().stream().findFirst().map(kv -> kv.getValue().toString(StandardCharsets.UTF_8));
    }

    private boolean putAsLeader(String key, String value, long term) throws EtcdUnavailable {
        ByteSequence leader = bytes(settings.leaderKey());
        TxnResponse t = await(client.getKVClient().txn()
                .If(new Cmp(leader, Cmp.Op.EQUAL, CmpTarget.createRevision(term)))
                .Then(Op.put(bytes(key), bytes(value), PutOption.DEFAULT))
                .commit(), "write " + key);
        return t.isSucceeded();
    }

    private <T> T await(CompletableFuture<T> f, String what) throws EtcdUnavailable {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new EtcdUnavailable("etcd did not answer (" + what + ") within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new EtcdUnavailable("etcd refused to " + what + ": " + LeaderElection.summary(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdUnavailable("interrupted while asking etcd to " + what, e);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
