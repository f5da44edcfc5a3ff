package dev.tandem.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the ssh runner connects. {@code loginUser} empty = ssh's own default (the ssh config, else the local user).
 * {@code configFile} is passed as {@code ssh -F} (the test hosts use one for their key and known_hosts).
 * {@code controlDir} holds the connection-reuse sockets: it must be private (mode 0700), because whoever can open a
 * socket there runs commands on the remote host as the login user.
 */
public record SshOptions(Optional<String> loginUser, Optional<Path> configFile, Path controlDir,
                         Duration connectTimeout, Duration reachTimeout, Duration controlPersist) {

    public static final String CONFIG_ENV = "TANDEM_SSH_CONFIG";
    public static final String USER_ENV = "TANDEM_SSH_USER";
    /**
     * How long {@code ssh HOST true} may take before the host counts as unreachable. A dead host fails sooner, on
     * the 5 s connect timeout; an answering one can take seconds, because sshd runs every command through the login
     * user's shell, which reads its rc files (a root {@code .bashrc} that initialises pyenv took 2-4 s here).
     */
    public static final Duration REACH_TIMEOUT = Duration.ofSeconds(15);

    public SshOptions {
        Objects.requireNonNull(loginUser);
        Objects.requireNonNull(configFile);
        Objects.requireNonNull(controlDir);
        Objects.requireNonNull(connectTimeout);
        Objects.requireNonNull(reachTimeout);
        Objects.requireNonNull(controlPersist);
    }

    /** Defaults, with {@code TANDEM_SSH_CONFIG} and {@code TANDEM_SSH_USER} from the environment when set. */
    public static SshOptions fromEnvironment() {
        return new SshOptions(nonBlank(System.getenv(USER_ENV)), nonBlank(System.getenv(CONFIG_ENV)).map(Path::of),
                defaultControlDir(), Duration.ofSeconds(5), REACH_TIMEOUT, Duration.ofSeconds(60));
    }

    public SshOptions withConfigFile(Path file) {
        return new SshOptions(loginUser, Optional.of(file), controlDir, connectTimeout, reachTimeout, controlPersist);
    }

    public SshOptions withControlDir(Path dir) {
        return new SshOptions(loginUser, configFile, dir, connectTimeout, reachTimeout, controlPersist);
    }

    public SshOptions withLoginUser(String user) {
        return new SshOptions(Optional.of(user), configFile, controlDir, connectTimeout, reachTimeout, controlPersist);
    }

    /** Per local user, so that consecutive commands (and the FTS daemon) reuse each other's connections. */
    static Path defaultControlDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "tandem-ssh-" + System.getProperty("user.name"));
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
