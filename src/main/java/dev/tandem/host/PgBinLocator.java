package dev.tandem.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds PostgreSQL server binaries: {@code --pg-bin}, then {@code TANDEM_PG_BIN}, then {@code pg_config --bindir},
 * then the newest {@code /usr/lib/postgresql/N/bin}. The launcher {@code bin/tandem} does the same search (and can
 * install PostgreSQL); this is for running the jar directly.
 */
public final class PgBinLocator {

    private PgBinLocator() {
    }

    public static Path locate(Path explicit) {
        if (explicit != null) return check(explicit, "--pg-bin");
        String env = System.getenv("TANDEM_PG_BIN");
        if (env != null && !env.isBlank()) return check(Path.of(env), "TANDEM_PG_BIN");
        Optional<Path> fromPgConfig = pgConfigBindir().filter(PgBinLocator::hasServer);
        if (fromPgConfig.isPresent()) return fromPgConfig.get();
        return debianNewest().orElseThrow(() -> new HostException(
                "PostgreSQL server binaries not found (tried TANDEM_PG_BIN, pg_config --bindir, /usr/lib/postgresql/*/bin). "
                        + "Install them (Debian/Ubuntu: apt-get install postgresql) or pass --pg-bin DIR"));
    }

    private static Path check(Path dir, String from) {
        if (!hasServer(dir)) {
            throw new HostException(from + " " + dir + " does not contain PostgreSQL server binaries (postgres, initdb, pg_ctl)");
        }
        return dir;
    }

    static boolean hasServer(Path dir) {
        return List.of("postgres", "initdb", "pg_ctl").stream().allMatch(t -> Files.isExecutable(dir.resolve(t)));
    }

    private static Optional<Path> pgConfigBindir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) return Optional.empty();
            return Optional.of(Path.of(out));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<Path> debianNewest() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingInt((Path d) -> Integer.parseInt(d.getFileName().toString())).reversed())
                    .map(d -> d.resolve("bin")).filter(PgBinLocator::hasServer).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
