package dev.tandem.coordinator;

import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Writes numbered history rows ({@code ack N}) into the coordinator's catalog until closed, remembering which
 * commits were acknowledged: after an activation, every one of them must be in the new coordinator's catalog.
 */
final class CatalogWriter implements AutoCloseable {

    private final Cluster cluster;
    private final ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean stopped;

    CatalogWriter(Cluster cluster) {
        this.cluster = cluster;
        this.thread = Thread.ofPlatform().daemon().name("catalog-writer").start(this::loop);
    }

    private void loop() {
        long next = 1;
        while (!stopped) {
            try (Connection c = cluster.coordinatorConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "INSERT INTO tandem.gp_configuration_history (dbid, \"desc\") VALUES (0, ?)")) {
                while (!stopped) {
                    ps.setString(1, "ack " + next);
                    ps.executeUpdate(); // autocommit: returns once the commit is acknowledged
                    acked.add(next);
                    next++;
                    Thread.sleep(5);
                }
            } catch (SQLException | RuntimeException e) {
                next++; // may or may not be there: never reused
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long ackedCount() {
        return acked.size();
    }

    List<String> ackedRows() {
        return acked.stream().map(n -> "ack " + n).toList();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(15_000);
    }
}
