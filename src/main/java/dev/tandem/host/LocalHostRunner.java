package dev.tandem.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs commands as processes on this machine. When Tandem runs as root and a command asks for another OS user
 * (PostgreSQL refuses to run as root), the command runs through {@code runuser -u USER --}.
 */
public final class LocalHostRunner implements HostRunner {

    private final String currentUser = System.getProperty("user.name");

    @Override
    public CommandResult run(Command command) {
        return execute(command, line -> { });
    }

    @Override
    public CommandResult runStreaming(Command command, Consumer<String> lines) {
        return execute(command, lines);
    }

    private CommandResult execute(Command command, Consumer<String> lines) {
        if (!reaches(command.host())) {
            throw new HostException("host " + command.host() + " is not an address of this machine; "
                    + "remote hosts need the ssh host runner");
        }
        List<String> argv = new ArrayList<>();
        command.asUser().filter(u -> !u.equals(currentUser)).ifPresent(u -> {
            if (!"root".equals(currentUser)) {
                throw new HostException("cannot run `" + command.display() + "` as OS user " + u
                        + ": Tandem runs as " + currentUser + " (run Tandem as " + u + ", or as root)");
            }
            argv.addAll(List.of("runuser", "-u", u, "--"));
        });
        argv.addAll(command.argv());
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(command.env());
        command.workDir().ifPresent(d -> pb.directory(d.toFile()));
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new HostException("on " + command.host() + ": cannot start `" + command.display() + "`: "
                    + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(p.getInputStream(), lines);
        CompletableFuture<String> err = drain(p.getErrorStream(), lines);
        try (OutputStream in = p.getOutputStream()) {
            if (command.stdin().isPresent()) in.write(command.stdin().get().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the process closed its stdin early; its exit code will tell
        }
        try {
            if (!p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new CommandTimeoutException(command);
            }
            return new CommandResult(command, p.exitValue(), out.get(), err.get(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while running `" + command.display() + "`", e);
        } catch (ExecutionException e) {
            throw new HostException("reading output of `" + command.display() + "`", e.getCause());
        }
    }

    /** The whole stream as text, and each line of it to {@code lines} as soon as it ends (at \n or \r). */
    private static CompletableFuture<String> drain(InputStream s, Consumer<String> lines) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try (s) {
                for (int n; (n = s.read(buf)) > 0; ) {
                    all.write(buf, 0, n);
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n' || buf[i] == '\r') {
                            if (line.size() > 0) lines.accept(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(buf[i]);
                        }
                    }
                }
                if (line.size() > 0) lines.accept(line.toString(StandardCharsets.UTF_8));
                f.complete(all.toString(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e instanceof IOException io ? new UncheckedIOException(io) : e);
            }
        });
        return f;
    }

    @Override
    public boolean reaches(String host) {
        return isLocal(host);
    }

    /** True when {@code host} resolves to a loopback or an address of one of this machine's interfaces. */
    public static boolean isLocal(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
