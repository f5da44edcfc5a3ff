package dev.tandem.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one local process for a {@link Command}: stdin written then closed, stdout and stderr drained, killed (with
 * its descendants) when the command's timeout passes. Shared by the local and the ssh runner, which differ only in
 * the argv they build.
 */
final class ProcessExec {

    private ProcessExec() {
    }

    static CommandResult run(Command command, List<String> argv, Map<String, String> env, Optional<Path> workDir) {
        return run(command, argv, env, workDir, line -> { });
    }

    /** Also hands every output line (split at \n or \r: progress meters redraw with \r) to {@code lines} as it ends. */
    static CommandResult run(Command command, List<String> argv, Map<String, String> env, Optional<Path> workDir,
                             Consumer<String> lines) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        workDir.ifPresent(d -> pb.directory(d.toFile()));
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
                kill(p);
                p.waitFor(5, TimeUnit.SECONDS);
                throw new CommandTimeoutException(command);
            }
            return new CommandResult(command, p.exitValue(), out.get(), err.get(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while running `" + command.display() + "`", e);
        } catch (ExecutionException e) {
            throw new HostException("reading output of `" + command.display() + "`", e.getCause());
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
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
}
