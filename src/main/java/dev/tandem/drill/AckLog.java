package dev.tandem.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every commit the clients of one content saw acknowledged, in the order the acknowledgements arrived, and every id
 * whose outcome is unknown (the statement failed: the row may or may not be there; ids are never reused).
 * Thread-safe: many writers append, a reader samples, the checker reads it all at the end.
 */
final class AckLog {

    private final int content;
    private final AtomicLong nextId = new AtomicLong();
    private final List<Ack> acks = new ArrayList<>();
    private final AtomicLong indeterminate = new AtomicLong();

    AckLog(int content) {
        this.content = content;
    }

    int content() {
        return content;
    }

    long newId() {
        return nextId.incrementAndGet();
    }

    long highestIdIssued() {
        return nextId.get();
    }

    synchronized void add(Ack a) {
        acks.add(a);
    }

    void indeterminate() {
        indeterminate.incrementAndGet();
    }

    long indeterminateCount() {
        return indeterminate.get();
    }

    synchronized List<Ack> all() {
        return List.copyOf(acks);
    }

    synchronized int size() {
        return acks.size();
    }

    /** Ids acknowledged so far: the newest {@code tail} (what a bad failover loses) and {@code random} older ones. */
    synchronized long[] sample(int tail, int random, Random rnd) {
        int n = acks.size();
        int from = Math.max(0, n - tail);
        List<Long> ids = new ArrayList<>();
        for (int i = from; i < n; i++) ids.add(acks.get(i).id());
        for (int i = 0; i < random && from > 0; i++) ids.add(acks.get(rnd.nextInt(from)).id());
        return ids.stream().mapToLong(Long::longValue).toArray();
    }
}
