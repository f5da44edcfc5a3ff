package dev.tandem.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a foreground service until it ends or the process is told to stop (SIGTERM, SIGINT): the shutdown hook asks
 * the service to stop and waits for its run to return, so that its exit status, not the signal's, is the process's
 * (main then calls System.exit, which blocks while hooks run).
 */
final class UntilSignalled {

    @FunctionalInterface
    interface Service {
        int run() throws Exception;
    }

    private UntilSignalled() {
    }

    static int run(Service service, Runnable stop, Duration stopWait) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            try {
                done.await(stopWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            return service.run();
        } finally {
            done.countDown();
        }
    }
}
