package dev.tandem.dcs;

import dev.tandem.time.Time;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One candidate for FTS leadership of a cluster, on etcd: a lease and a transaction on one key, no consensus of our
 * own. To lead, a candidate grants a lease of {@code leaseTtlSeconds} and, in one transaction, creates the leader key
 * attached to it if the key does not exist ({@code version == 0}); the revision of that transaction is its
 * <b>term</b>, greater than every earlier leader's. The leader renews its lease every third of the TTL and checks
 * that the key is still its own; followers read the key every {@link #FOLLOW_POLL} and campaign when it is gone,
 * which etcd does when the leader's lease expires (a dead or cut-off leader) or is revoked (a leader that stops).
 *
 * <p>A leader acts only until its lease could have expired at etcd, counted from when its last renewal was sent
 * ({@link #leadingTerm()}): a leader that cannot reach etcd stops acting by itself within one lease, before any other
 * can be elected. A leader paused past that (SIGSTOP, a long GC) and resumed in the middle of an action is stopped
 * by the fencing term in the catalog instead (docs/etcd.md).
 *
 * <p>Why not jetcd's Election client: its {@code campaign} blocks until leadership with no bound of ours, and this
 * loop must say at every moment whether etcd answers ("no FTS leader: etcd unavailable"); the recipe is the same key,
 * lease and revision.
 *
 * <p>Concurrency: {@link #run()} on one thread owns the etcd calls; {@link #state()} is read from any thread.
 */
public final class LeaderElection implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    static final Duration FOLLOW_POLL = Duration.ofMillis(250);

    /** What this candidate knows now. */
    public sealed interface State {
        /** Leading with {@code term} while the clock is before {@code validUntilNanos}. */
        record Leading(long term, long lease, long validUntilNanos) implements State {
        }

        /** Someone else leads (or nobody yet, {@code term == 0}). */
        record Following(String leader, long term, String why) implements State {
        }

        /** etcd does not answer: nobody may act on its word. */
        record Unavailable(String why) implements State {
        }
    }

    private final Client client;
    private final EtcdSettings settings;
    private final ByteSequence key;
    private final LeaderRecord me;
    private final boolean onCoordinatorHost;
    private final Time time;
    private final Duration opTimeout;
    private final AtomicReference<State> state =
            new AtomicReference<>(new State.Following("nobody", 0, "the election has not asked etcd yet"));
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Until etcd first answers, calls may take the client's connection set-up (seconds, measured here). */
    static final Duration FIRST_CALL_TIMEOUT = Duration.ofSeconds(5);
    private volatile boolean answered;
    private long vacantSince = -1;
    /** The lease and term of this candidate's last leadership: its key may outlive an etcd outage (0: none). */
    private long lastLease;
    private long lastTerm;
    private String lastLogged = "";

    public LeaderElection(Client client, EtcdSettings settings, String host, boolean onCoordinatorHost, Time time) {
        this.client = client;
        this.settings = settings;
        this.key = bytes(settings.leaderKey());
        this.me = new LeaderRecord(host, ProcessHandle.current().pid(), Instant.now().toString());
        this.onCoordinatorHost = onCoordinatorHost;
        this.time = time;
        long third = Duration.ofSeconds(settings.leaseTtlSeconds()).toMillis() / 3;
        this.opTimeout = Duration.ofMillis(Math.min(1000, third));
    }

    public State state() {
        return state.get();
    }

    /** This candidate's holder name, as the catalog records it. */
    public String holder() {
        return me.holder();
    }

    /** The term while this candidate leads and its lease cannot have expired yet; empty otherwise. */
    public Optional<Long> leadingTerm() {
        return state.get() instanceof State.Leading l && time.nanoTime() - l.validUntilNanos() < 0
                ? Optional.of(l.term()) : Optional.empty();
    }

    public void stop() {
        stopped.countDown();
    }

    @Override
    public void run() {
        LOG.info("FTS leader election on etcd {} (key {}, lease {} s){}", String.join(",", settings.endpoints()),
                settings.leaderKey(), settings.leaseTtlSeconds(), onCoordinatorHost && settings.preferOffCoordinator()
                        ? "; on the coordinator host: campaigns one lease period after the key is vacant" : "");
        try {
            while (stopped.getCount() > 0) {
                Duration pause;
                try {
                    pause = state.get() instanceof State.Leading l ? renew(l) : follow();
                } catch (TimeoutException | ExecutionException | RuntimeException e) {
                    pause = unavailable(e);
                }
                if (stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            resign();
        }
    }

    /** A leader's step: renew the lease, check the key is still ours. */
    private Duration renew(State.Leading l) throws TimeoutException, ExecutionException, InterruptedException {
        Duration every = Duration.ofSeconds(settings.leaseTtlSeconds()).dividedBy(3);
        long sent = time.nanoTime();
        LeaseKeepAliveResponse r;
        try {
            r = await(client.getLeaseClient().keepAliveOnce(l.lease()));
        } catch (ExecutionException e) {
            if (String.valueOf(summary(e)).contains("lease not found")) { // expired while we could not renew it
                become(new State.Following("nobody", 0, "lease " + Long.toHexString(l.lease()) + " expired at etcd"));
                return Duration.ZERO;
            }
            if (time.nanoTime() - l.validUntilNanos() < 0) return Duration.ofMillis(100);
            throw e;
        } catch (TimeoutException e) {
            if (time.nanoTime() - l.validUntilNanos() < 0) {
                LOG.debug("lease renewal failed ({}); still valid for {} ms", summary(e),
                        (l.validUntilNanos() - time.nanoTime()) / 1_000_000);
                return Duration.ofMillis(100);
            }
            throw e;
        }
        if (r.getTTL() <= 0) {
            become(new State.Following("nobody", 0, "lease " + Long.toHexString(l.lease()) + " expired at etcd"));
            return Duration.ZERO;
        }
        GetResponse g = await(client.getKVClient().get(key));
        if (g.getKvs().isEmpty() || g.getKvs().get(0).getCreateRevision() != l.term()) {
            become(following(g, "the leader key is no longer ours"));
            return Duration.ZERO;
        }
        state.set(new State.Leading(l.term(), l.lease(), Campaign.validUntil(sent, r.getTTL())));
        return every;
    }

    /** A follower's step: read the key; campaign when it has been vacant long enough. */
    private Duration follow() throws TimeoutException, ExecutionException, InterruptedException {
        GetResponse g = await(client.getKVClient().get(key));
        if (!g.getKvs().isEmpty()) {
            vacantSince = -1;
            KeyValue kv = g.getKvs().get(0);
            if (lastLease != 0 && kv.getLease() == lastLease && kv.getCreateRevision() == lastTerm) return resume();
            become(following(g, "following"));
            return FOLLOW_POLL;
        }
        long now = time.nanoTime();
        if (vacantSince < 0) vacantSince = now;
        Duration wait = Campaign.waitBefore(now - vacantSince, onCoordinatorHost, settings);
        if (wait.isPositive()) {
            become(new State.Following("nobody", 0, "no leader; on the coordinator host, campaigning after one lease "
                    + "period if nobody else does"));
            return wait.compareTo(FOLLOW_POLL) < 0 ? wait : FOLLOW_POLL;
        }
        return campaign();
    }

    /**
     * The key is still ours after etcd was unavailable: while etcd has no quorum no lease expires, and a new etcd
     * leader renews every lease, so our key outlives the outage. Renewing it resumes the same term at once, instead of
     * waiting a lease for it to expire and electing again; nobody else can have led meanwhile (the key was there).
     */
    private Duration resume() throws TimeoutException, ExecutionException, InterruptedException {
        long sent = time.nanoTime();
        LeaseKeepAliveResponse r = await(client.getLeaseClient().keepAliveOnce(lastLease));
        if (r.getTTL() <= 0) return Duration.ZERO; // expired meanwhile: the key goes with it
        become(new State.Leading(lastTerm, lastLease, Campaign.validUntil(sent, r.getTTL())));
        return Duration.ofSeconds(settings.leaseTtlSeconds()).dividedBy(3);
    }

    private Duration campaign() throws TimeoutException, ExecutionException, InterruptedException {
        long sent = time.nanoTime();
        LeaseGrantResponse lease = await(client.getLeaseClient().grant(settings.leaseTtlSeconds()));
        TxnResponse t;
        try {
            t = await(client.getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                    .Then(Op.put(key, bytes(me.toJson()), PutOption.builder().withLeaseId(lease.getID()).build()))
                    .Else(Op.get(key, GetOption.DEFAULT))
                    .commit());
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            revokeQuietly(lease.getID()); // had it committed after all, the key goes with the lease
            throw e;
        }
        if (!t.isSucceeded()) {
            revokeQuietly(lease.getID());
            become(t.getGetResponses().isEmpty() ? new State.Following("nobody", 0, "lost the campaign")
                    : following(t.getGetResponses().get(0), "lost the campaign to"));
            return FOLLOW_POLL;
        }
        vacantSince = -1;
        lastLease = lease.getID();
        lastTerm = t.getHeader().getRevision();
        become(new State.Leading(lastTerm, lastLease, Campaign.validUntil(sent, lease.getTTL())));
        return Duration.ofSeconds(settings.leaseTtlSeconds()).dividedBy(3);
    }

    private Duration unavailable(Exception e) {
        String why = "etcd unavailable: " + summary(e);
        if (state.get() instanceof State.Leading l && time.nanoTime() - l.validUntilNanos() < 0) return Duration.ofMillis(100);
        become(new State.Unavailable(why));
        return FOLLOW_POLL;
    }

    private State.Following following(GetResponse g, String why) {
        if (g.getKvs().isEmpty()) return new State.Following("nobody", 0, why);
        KeyValue kv = g.getKvs().get(0);
        return new State.Following(LeaderRecord.fromJson(kv.getValue().toString(StandardCharsets.UTF_8)).holder(),
                kv.getCreateRevision(), why);
    }

    /** Sets the state; says each change once (a follower's repeated reads of the same leader are not news). */
    private void become(State next) {
        state.set(next);
        String said = switch (next) {
            case State.Leading l -> "FTS leader now: " + me.holder() + ", term " + l.term() + " (lease "
                    + Long.toHexString(l.lease()) + ", " + settings.leaseTtlSeconds() + " s)";
            case State.Following f -> f.term() == 0 ? "no FTS leader: " + f.why()
                    : "FTS follower: " + f.why() + " " + f.leader() + ", term " + f.term();
            case State.Unavailable u -> "no FTS leader: " + u.why();
        };
        String kind = next instanceof State.Unavailable ? "unavailable" : said;
        if (kind.equals(lastLogged)) return;
        lastLogged = kind;
        if (next instanceof State.Unavailable) LOG.warn("{}", said);
        else LOG.info("{}", said);
    }

    /** A leader that stops hands over at once: its key goes with its lease. */
    private void resign() {
        if (state.get() instanceof State.Leading l) {
            revokeQuietly(l.lease());
            state.set(new State.Following("nobody", 0, "resigned"));
            LOG.info("FTS leadership given up (term {}): lease revoked", l.term());
        }
    }

    private void revokeQuietly(long lease) {
        try {
            await(client.getLeaseClient().revoke(lease));
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("lease {} not revoked ({}); it expires by itself", Long.toHexString(lease), summary(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> T await(CompletableFuture<T> f) throws TimeoutException, ExecutionException, InterruptedException {
        long limit = (answered ? opTimeout : FIRST_CALL_TIMEOUT).toMillis();
        try {
            T r = f.get(limit, TimeUnit.MILLISECONDS);
            answered = true;
            return r;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TimeoutException("no answer within " + limit + " ms");
        }
    }

    /**
     * The messages along the cause chain, each once: a gRPC status alone ("UNAUTHENTICATED") hides etcd's own words
     * ("etcdserver: authentication failed, invalid user ID or password"), which are in a cause.
     */
    static String summary(Throwable e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        List<String> said = new ArrayList<>();
        for (int depth = 0; t != null && depth < 5; depth++, t = t.getCause()) {
            String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (said.stream().noneMatch(x -> x.contains(m))) said.add(m);
        }
        return String.join(": ", said);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
