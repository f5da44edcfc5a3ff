package dev.tandem.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command to run on a host: argv (never a shell string), a mandatory timeout, an optional OS user to run as
 * (PostgreSQL tools run as the cluster's OS user), extra environment, working directory and standard input.
 */
public record Command(String host, List<String> argv, Duration timeout, Optional<String> asUser,
                      Map<String, String> env, Optional<Path> workDir, Optional<String> stdin) {

    public Command {
        Objects.requireNonNull(host, "host");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) throw new IllegalArgumentException("empty argv");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(asUser, "asUser");
        env = Map.copyOf(env);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(stdin, "stdin");
    }

    public static Command of(String host, Duration timeout, List<String> argv) {
        return new Command(host, argv, timeout, Optional.empty(), Map.of(), Optional.empty(), Optional.empty());
    }

    public Command as(String user) {
        return new Command(host, argv, timeout, Optional.ofNullable(user), env, workDir, stdin);
    }

    public Command withEnv(Map<String, String> extra) {
        var merged = new java.util.HashMap<>(env);
        merged.putAll(extra);
        return new Command(host, argv, timeout, asUser, merged, workDir, stdin);
    }

    public Command in(Path dir) {
        return new Command(host, argv, timeout, asUser, env, Optional.of(dir), stdin);
    }

    public Command withStdin(String input) {
        return new Command(host, argv, timeout, asUser, env, workDir, Optional.of(input));
    }

    /** argv joined for messages; never contains secrets because secrets never go on a command line. */
    public String display() {
        return String.join(" ", argv);
    }
}
