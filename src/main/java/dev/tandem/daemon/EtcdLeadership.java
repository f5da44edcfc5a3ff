package dev.tandem.daemon;

import dev.tandem.catalog.FencingToken;
import dev.tandem.dcs.CoordinatorKeys;
import dev.tandem.dcs.EtcdClients;
import dev.tandem.dcs.EtcdSettings;
import dev.tandem.dcs.LeaderElection;
import dev.tandem.dcs.MemberRegistration;
import dev.tandem.fts.Leadership;
import dev.tandem.time.Time;
import io.etcd.jetcd.Client;
import java.util.Optional;

/**
 * FTS leadership through etcd: the daemon's {@link LeaderElection} on its own thread, seen by the FTS loop and the
 * standby watch as a {@link Leadership}. Composed here, above both fts and dcs, so that neither knows the other.
 */
public final class EtcdLeadership implements Leadership, AutoCloseable {

    private final Client client;
    private final EtcdSettings settings;
    private final LeaderElection election;
    private final MemberRegistration registration;
    private Thread thread;
    private Thread registering;

    public EtcdLeadership(EtcdSettings settings, String host, boolean onCoordinatorHost, Time time) {
        this.client = EtcdClients.open(settings);
        this.settings = settings;
        this.election = new LeaderElection(client, settings, host, onCoordinatorHost, time);
        this.registration = new MemberRegistration(client, settings, host);
    }

    public synchronized void start() {
        if (thread == null) thread = Thread.ofPlatform().name("fts-election").daemon().start(election);
        // its own thread: a slow registration call must never delay a lease renewal
        if (registering == null) registering = Thread.ofPlatform().name("fts-member").daemon().start(registration);
    }

    /** The coordinator's keys, read and written through this daemon's etcd client. */
    public CoordinatorKeys coordinatorKeys() {
        return new CoordinatorKeys(client, settings);
    }

    public LeaderElection election() {
        return election;
    }

    @Override
    public Mandate mandate() {
        Optional<Long> term = election.leadingTerm();
        if (term.isPresent()) return new Act(Optional.of(new FencingToken(term.get(), election.holder())));
        return switch (election.state()) {
            case LeaderElection.State.Leading l -> new Observe("FTS leader term " + l.term() + " but its lease is not "
                    + "renewed: not acting until it is (or another leader is elected)");
            case LeaderElection.State.Following f -> new Wait(f.term() == 0 ? "no FTS leader yet: " + f.why()
                    : "following the FTS leader " + f.leader() + ", term " + f.term());
            case LeaderElection.State.Unavailable u -> new Observe("no FTS leader: " + u.why());
        };
    }

    @Override
    public boolean advisoryLock() {
        return false;
    }

    /** Stops the election (a leader revokes its lease: a follower takes over at once) and closes the client. */
    @Override
    public synchronized void close() {
        election.stop();
        registration.stop();
        for (Thread t : new Thread[] {thread, registering}) {
            if (t == null) continue;
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
    }
}
