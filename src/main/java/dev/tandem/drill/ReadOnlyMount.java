package dev.tandem.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A data directory that can no longer be written, the way a file system remounted read-only after an I/O error is:
 * the directory is bind-mounted onto itself and the bind remounted read-only. Files the server already holds open
 * stay writable through their descriptors; every new open for writing (the FTS disk probe, a new WAL segment, a
 * relation file reopened) fails with EROFS. {@link #close} detaches the bind lazily, so the directory is writable
 * again even while the server still holds files opened through it. Needs root (mount).
 */
public final class ReadOnlyMount implements AutoCloseable {

    private final Path dir;

    private ReadOnlyMount(Path dir) {
        this.dir = dir;
    }

    /** Whether this process may mount (root); the drill leaves this fault out, saying so, when it may not. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static ReadOnlyMount of(Path dir) {
        String d = dir.toString();
        run(List.of("mount", "--bind", d, d));
        ReadOnlyMount m = new ReadOnlyMount(dir);
        try {
            run(List.of("mount", "-o", "remount,bind,ro", d, d));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    @Override
    public void close() {
        run(List.of("umount", "-l", dir.toString()));
    }

    private static void run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + ": no answer within 30 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed (exit " + p.exitValue() + "): " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", argv));
        }
    }
}
