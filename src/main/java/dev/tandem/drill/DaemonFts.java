package dev.tandem.drill;

import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.FtsDaemonProcess;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The FTS daemon as {@code tandem start} runs it: a background process, killed with SIGKILL as a fault. */
final class DaemonFts implements FtsHandle {

    private final FtsDaemonProcess daemon;
    private final LocalProcesses processes;

    private final List<String> command;

    DaemonFts(Cluster cluster, LocalProcesses processes, List<String> command) {
        this.daemon = new FtsDaemonProcess(cluster.descriptor());
        this.command = command;
        this.processes = processes;
    }

    @Override
    public void start() {
        try {
            daemon.start(command);
        } catch (IOException e) {
            throw new ClusterException("cannot start the FTS daemon: " + e.getMessage(), e);
        }
    }

    @Override
    public void kill() {
        Optional<ProcessHandle> ph = daemon.running();
        if (ph.isEmpty()) return;
        processes.kill9(ph.get().pid());
        try {
            ph.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // checked by running() before the next start
        }
    }

    @Override
    public boolean running() {
        return daemon.running().isPresent();
    }

    @Override
    public void stop() {
        daemon.stop();
    }

    @Override
    public String describe() {
        return "FTS daemon (background process, log " + daemon.logFile() + ")";
    }
}
