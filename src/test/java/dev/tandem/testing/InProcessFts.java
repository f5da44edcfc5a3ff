package dev.tandem.testing;

import static org.awaitility.Awaitility.await;

import dev.tandem.cluster.Cluster;
import dev.tandem.fts.FtsService;

/** The FTS daemon loop (the code `tandem fts run` runs) on a thread of the test JVM, probing before it returns. */
public final class InProcessFts implements AutoCloseable {

    private final FtsService service;
    private final Thread thread;

    private InProcessFts(FtsService service) {
        this.service = service;
        this.thread = Thread.ofPlatform().name("fts").start(service);
        await().atMost(Timeouts.seconds(30)).until(() -> service.cycles() > 2);
    }

    public static InProcessFts start(Cluster cluster) {
        return new InProcessFts(new FtsService(cluster, "test"));
    }

    /** With a decision function of the test's own (the real policy wrapped, e.g. to lose a promote on purpose). */
    public static InProcessFts start(Cluster cluster, FtsService.Decider decider) {
        return new InProcessFts(new FtsService(cluster, "test", decider));
    }

    public long cycles() {
        return service.cycles();
    }

    @Override
    public void close() {
        service.stop();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
