package dev.tandem.fts;

import dev.tandem.catalog.FencingToken;
import java.util.Optional;

/**
 * Whether this FTS daemon may probe and act now, and under which term its catalog writes go. Without etcd
 * ({@link #EMBEDDED}) a daemon acts once it holds the FTS advisory lock on the coordinator, as always; with etcd the
 * daemon acts only while it leads (docs/etcd.md) and every catalog write carries its term.
 */
public interface Leadership {

    /** What the daemon may do now. */
    sealed interface Mandate permits Act, Observe, Wait {
    }

    /** Probe and act; catalog writes carry {@code token} when there is one. */
    record Act(Optional<FencingToken> token) implements Mandate {
    }

    /**
     * Probe and decide, apply nothing: nobody may act (etcd unavailable), but the rounds go on, so that the state is
     * known and a failure is already confirmed when leadership comes back.
     */
    record Observe(String why) implements Mandate {
    }

    /** Do nothing now, for this reason (another daemon leads). */
    record Wait(String why) implements Mandate {
    }

    Mandate mandate();

    /** Whether the coordinator's FTS advisory lock decides who acts (no etcd) rather than an election. */
    boolean advisoryLock();

    /** One daemon per cluster, chosen by the FTS advisory lock on the coordinator. */
    Leadership EMBEDDED = new Leadership() {
        @Override
        public Mandate mandate() {
            return new Act(Optional.empty());
        }

        @Override
        public boolean advisoryLock() {
            return true;
        }
    };
}
