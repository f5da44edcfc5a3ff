package dev.tandem.drill;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One sampler per instance, every 20 ms over a kept connection: in recovery or not, and whether a commit could be
 * acknowledged there. A sample that fails (instance dead, frozen, restarting) ends the current run, so runs only
 * span stretches where the instance answered every time. Each sampler has its own thread: a frozen instance holds
 * up only its own sampler (the query is bounded to 1 s by the socket timeout).
 */
final class InstanceSampler implements AutoCloseable {

    static final long PERIOD_MILLIS = 20;
    private static final String QUERY = "SELECT pg_is_in_recovery(), current_setting('synchronous_standby_names') = '' "
            + "OR EXISTS (SELECT 1 FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum'))";

    private final Cluster cluster;
    private final DrillClock clock;
    private final List<StateRun> runs = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    InstanceSampler(Cluster cluster, DrillClock clock, List<Segment> instances) {
        this.cluster = cluster;
        this.clock = clock;
        for (Segment s : instances) {
            threads.add(Thread.ofPlatform().daemon().name("drill-sampler-" + s.dbid()).start(() -> loop(s)));
        }
    }

    private void loop(Segment s) {
        Connection c = null;
        boolean broken = true;
        while (!stopped) {
            try {
                if (c == null) {
                    c = cluster.connector().open(s.address(), s.port(), Duration.ofSeconds(1));
                    c.setNetworkTimeout(Runnable::run, 1000);
                }
                long t0 = clock.now();
                InstanceState state;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
                    rs.next();
                    state = rs.getBoolean(1) ? InstanceState.STANDBY : rs.getBoolean(2) ? InstanceState.CAN_ACK : InstanceState.BLOCKED;
                }
                record(s, state, (t0 + clock.now()) / 2, broken);
                broken = false;
            } catch (SQLException | RuntimeException e) {
                broken = true;
                close(c);
                c = null;
                sleep(100);
            }
            sleep(PERIOD_MILLIS);
        }
        close(c);
    }

    private synchronized void record(Segment s, InstanceState state, long t, boolean afterBreak) {
        for (int i = runs.size() - 1; i >= 0; i--) {
            StateRun r = runs.get(i);
            if (r.dbid() != s.dbid()) continue;
            if (!afterBreak && r.state() == state) {
                runs.set(i, r.extendedTo(t));
                return;
            }
            break;
        }
        runs.add(new StateRun(s.dbid(), s.content(), state, t, t));
    }

    synchronized List<StateRun> runs() {
        return List.copyOf(runs);
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // gone already
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            stopped = true;
        }
    }

    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
