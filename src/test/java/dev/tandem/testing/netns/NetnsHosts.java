package dev.tandem.testing.netns;

import dev.tandem.host.HostRunner;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.host.RoutingHostRunner;
import dev.tandem.host.SshHostRunner;
import dev.tandem.host.SshOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * N test hosts on this machine: network namespaces {@code PREFIX-hI} with address {@code SUBNET.(10+I)} on a bridge
 * whose address {@code SUBNET.1} is the coordinator host (this process), an sshd in each, all made and removed by
 * {@code scripts/netns-hosts.sh} (one implementation for people and tests). Commands sent through {@link #runner()}
 * to a host's address run inside its namespace, so PostgreSQL of that host listens on that address only. Each host
 * also has its own {@code /tmp}, postgres home, {@code /run/tandem} and {@code /var/log/tandem} (its sshd's mount
 * namespace, see the script): a file Tandem forgets to ship to a host is missing there, as on a real machine.
 *
 * <p>The tests use their own prefix and subnet ({@code tdmit}, 10.231.9.0/24; system properties
 * {@code tandem.netns.prefix}, {@code tandem.netns.subnet}) so that they never collide with hosts a person made
 * with the script's defaults; leftovers of a killed test run with that prefix are removed before use.
 *
 * <p>Partitions are real: {@link #cutOff} takes the host's link on the bridge down (nothing in or out);
 * {@link #cutFromCoordinator} and {@link #cutBetween} drop packets with nftables inside the namespaces.
 * {@link #heal} undoes every cut.
 */
public final class NetnsHosts implements AutoCloseable {

    private final int count;
    private final Map<String, String> env;
    private final Path dir;
    private final String subnet;
    private final SshHostRunner ssh;
    private final Thread hook;
    private boolean closed;

    private NetnsHosts(int count, Map<String, String> env, Path dir, String subnet) {
        this.count = count;
        this.env = env;
        this.dir = dir;
        this.subnet = subnet;
        this.ssh = new SshHostRunner(SshOptions.fromEnvironment().withConfigFile(sshConfig())
                .withControlDir(dir.resolve("control")).withLoginUser("root"));
        this.hook = new Thread(this::down, "netns-hosts down");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Creates {@code n} hosts. Fails where that is impossible: an integration test asks {@link #unavailable} first
     * and skips; a bench (outside a test run, without JUnit) says why and stops.
     */
    public static NetnsHosts up(int n) {
        String prefix = prefix();
        String subnet = System.getProperty("tandem.netns.subnet", "10.231.9");
        // not under /tmp: each host has its own /tmp, and its sshd reads its keys and config here
        Path dir = Path.of("/var/tmp", prefix + "-netns");
        Map<String, String> env = Map.of("TANDEM_NETNS_PREFIX", prefix, "TANDEM_NETNS_SUBNET", subnet,
                "TANDEM_NETNS_DIR", dir.toString());
        unavailable().ifPresent(reason -> {
            throw new IllegalStateException("cannot make network-namespace hosts: " + reason);
        });
        if (Files.exists(Path.of("/sys/class/net", prefix + "-br0"))) {
            System.out.println("[netns] removing leftovers of an earlier run (" + prefix + "-br0)");
            script(env, "down");
        }
        NetnsHosts hosts = new NetnsHosts(n, env, dir, subnet);
        try {
            System.out.println(script(env, "up", Integer.toString(n)).strip().indent(2).stripTrailing());
        } catch (RuntimeException e) {
            hosts.close();
            throw e;
        }
        return hosts;
    }

    private static String prefix() {
        return System.getProperty("tandem.netns.prefix", "tdmit");
    }

    /** Why namespace hosts cannot be made on this machine (no root, sshd, nft or namespaces), or empty. */
    public static Optional<String> unavailable() {
        String prefix = prefix();
        String reason = null;
        if (!"root".equals(System.getProperty("user.name"))) reason = "network namespaces need root";
        else if (!Files.isExecutable(Path.of("/usr/sbin/sshd"))) reason = "/usr/sbin/sshd missing (bin/tandem install-deps installs openssh-server)";
        else if (!Files.isExecutable(Path.of("/usr/sbin/nft"))) reason = "nft missing (bin/tandem install-deps installs nftables)";
        else {
            String probe = prefix + "-probe";
            Result r = exec(List.of("ip", "netns", "add", probe), Map.of());
            if (r.code != 0) reason = "cannot create a network namespace here: " + r.out.strip();
            else exec(List.of("ip", "netns", "del", probe), Map.of());
        }
        return Optional.ofNullable(reason);
    }

    /** The coordinator host: this machine's address on the bridge. */
    public String coordinatorAddress() {
        return subnet + ".1";
    }

    /** Host {@code i} (1-based). */
    public String address(int i) {
        if (i < 1 || i > count) throw new IllegalArgumentException("no host " + i);
        return subnet + "." + (10 + i);
    }

    public List<String> addresses() {
        return IntStream.rangeClosed(1, count).mapToObj(this::address).toList();
    }

    public int indexOf(String address) {
        return addresses().indexOf(address) + 1;
    }

    public Path sshConfig() {
        return dir.resolve("ssh_config");
    }

    public SshHostRunner ssh() {
        return ssh;
    }

    /** Local for the coordinator host, ssh (with the hosts' key and known_hosts) for the namespace hosts. */
    public HostRunner runner() {
        return new RoutingHostRunner(new LocalHostRunner(), ssh, LocalHostRunner::isLocal);
    }

    public void cutOff(int i) {
        script(env, "cut", Integer.toString(i));
    }

    public void cutFromCoordinator(int i) {
        script(env, "cut-coordinator", Integer.toString(i));
    }

    public void cutBetween(int i, int j) {
        script(env, "cut-pair", Integer.toString(i), Integer.toString(j));
    }

    /**
     * Runs argv as root inside host {@code i}'s network and mount namespaces (its sshd's), so it sees that host's own
     * {@code /tmp} and the rest; not through ssh: works while the host is cut off. ({@code ip netns exec} would make
     * a fresh mount namespace with this machine's files instead.)
     */
    public Result execIn(int i, List<String> argv) {
        List<String> full = new ArrayList<>(nsenter(i));
        full.addAll(argv);
        return exec(full, Map.of());
    }

    /**
     * The argv prefix that runs a command inside host {@code i}'s network and mount namespaces ({@code nsenter}
     * execs the command: a process started so has the command's own pid, to be killed by it).
     */
    public List<String> nsenter(int i) {
        address(i);
        String pid;
        try {
            pid = Files.readString(dir.resolve("h" + i).resolve("sshd.pid")).strip();
        } catch (IOException e) {
            throw new IllegalStateException("host " + i + " has no sshd pid file: " + e.getMessage(), e);
        }
        return List.of("nsenter", "-t", pid, "-m", "-n", "--");
    }

    public void heal() {
        script(env, "heal");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private void down() {
        for (String a : addresses()) ssh.closeConnection(a);
        try {
            script(env, "down");
        } catch (RuntimeException e) {
            System.out.println("[netns] down failed: " + e.getMessage());
        }
    }

    static Path scriptPath() {
        return Path.of("scripts/netns-hosts.sh").toAbsolutePath();
    }

    private static String script(Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("bash", scriptPath().toString()));
        argv.addAll(List.of(args));
        Result r = exec(argv, env);
        if (r.code != 0) throw new IllegalStateException("netns-hosts.sh " + String.join(" ", args) + " failed:\n" + r.out);
        return r.out;
    }

    public record Result(int code, String out) {
    }

    private static Result exec(List<String> argv, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + argv);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
