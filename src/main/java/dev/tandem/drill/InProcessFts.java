package dev.tandem.drill;

import dev.tandem.cluster.Cluster;
import dev.tandem.fts.FtsService;
import java.util.function.Function;

/**
 * FTS as a thread of this JVM (the loop `tandem fts run` runs), built by a factory so that a test can hand in a
 * service with a broken decision function. The drill, the integration tests and the benches use it. "Killing" it
 * stops the loop and starts nothing until {@link #start}: its coordinator session, and with it the FTS lock, is
 * dropped as a dead daemon's would be.
 */
public final class InProcessFts implements FtsHandle, AutoCloseable {

    private final Cluster cluster;
    private final Function<Cluster, FtsService> factory;
    private FtsService service;
    private Thread thread;

    public InProcessFts(Cluster cluster, Function<Cluster, FtsService> factory) {
        this.cluster = cluster;
        this.factory = factory;
    }

    @Override
    public synchronized void start() {
        if (running()) return;
        service = factory.apply(cluster);
        thread = Thread.ofPlatform().name("fts").daemon().start(service);
    }

    @Override
    public synchronized void kill() {
        if (service == null) return;
        service.stop();
        thread.interrupt();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        service = null;
    }

    @Override
    public synchronized boolean running() {
        return thread != null && thread.isAlive() && service != null;
    }

    @Override
    public void stop() {
        kill();
    }

    @Override
    public void close() {
        stop();
    }

    /** Probe rounds the running service has completed, 0 when none runs: how a caller knows FTS is watching. */
    public synchronized long cycles() {
        return service == null ? 0 : service.cycles();
    }

    @Override
    public String describe() {
        return "FTS in process (injected service)";
    }
}
