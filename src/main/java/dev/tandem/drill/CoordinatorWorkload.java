package dev.tandem.drill;

import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application that uses the cluster as one database: {@code clientsPerContent} writers per content insert
 * uniquely numbered rows into the distributed table through the coordinator, and know nothing of the catalog. After
 * an error a writer reconnects to the coordinator and goes on, which is all an application should have to do: the
 * coordinator's foreign server for the content follows the failover in the catalog's transaction.
 *
 * <p>Each writer's ids are keys the coordinator routes to its content ({@link ContentKeys}), so a failover of that
 * content is seen as a gap in its acknowledgements, as for the direct writers. {@code RETURNING tableoid} says
 * which partition the coordinator really put the row in; the acknowledgement is logged under that partition's
 * content (where the final check looks for it), and a row that landed elsewhere than its key said is counted as
 * misrouted. Autocommit: the statement returns only once the coordinator committed, which it does only once the
 * segment's commit was acknowledged (after its synchronous mirror had it).
 */
final class CoordinatorWorkload implements AutoCloseable {

    private final Cluster cluster;
    private final DrillClock clock;
    private final CoordinatorTable table;
    private final Duration pacing;
    private final Map<Integer, AckLog> logs = new TreeMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong misrouted = new AtomicLong();
    private volatile boolean stopped;

    CoordinatorWorkload(Cluster cluster, DrillClock clock, CoordinatorTable table, List<Integer> contents,
                        int clientsPerContent, Duration pacing) {
        this.cluster = cluster;
        this.clock = clock;
        this.table = table;
        this.pacing = pacing;
        for (int content : contents) logs.put(content, new AckLog(content));
        for (int content : contents) {
            ContentKeys keys = new ContentKeys(CoordinatorTable.NAME, content, contents.size());
            for (int client = 0; client < clientsPerContent; client++) {
                int cl = client;
                threads.add(Thread.ofPlatform().daemon().name("drill-coordinator-writer-" + content + "-" + client)
                        .unstarted(() -> write(keys, cl)));
            }
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** Acknowledgements by the content that holds the row. */
    Map<Integer, AckLog> logs() {
        return logs;
    }

    long errors() {
        return errors.get();
    }

    long misrouted() {
        return misrouted.get();
    }

    long indeterminate() {
        return logs.values().stream().mapToLong(AckLog::indeterminateCount).sum();
    }

    private void write(ContentKeys keys, int client) {
        AckLog mine = logs.get(keys.content());
        while (!stopped) {
            Connection c = null;
            try {
                c = cluster.coordinatorConnection();
                c.setNetworkTimeout(Runnable::run, 10_000);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + CoordinatorTable.NAME
                        + " (id, client) VALUES (?, ?) RETURNING tableoid::bigint")) {
                    while (!stopped) {
                        long id = keys.next(c);
                        ps.setLong(1, id);
                        ps.setInt(2, client);
                        long t0 = clock.now();
                        long partition;
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            partition = rs.getLong(1);
                        } catch (SQLException e) {
                            mine.indeterminate();
                            throw e;
                        }
                        long t1 = clock.now();
                        Optional<Integer> landedOn = table.contentOf(partition);
                        if (!landedOn.equals(Optional.of(keys.content()))) misrouted.incrementAndGet();
                        int landed = landedOn.orElse(keys.content());
                        logs.getOrDefault(landed, mine).add(new Ack(landed, id, Ack.THROUGH_COORDINATOR, t0, t1));
                        Thread.sleep(pacing);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                errors.incrementAndGet();
                pause(100);
            } catch (InterruptedException e) {
                return;
            } finally {
                Workload.abort(c);
            }
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            stopped = true;
        }
    }

    /** Stops the writers; one blocked in a statement is released by its connection's network timeout. */
    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
