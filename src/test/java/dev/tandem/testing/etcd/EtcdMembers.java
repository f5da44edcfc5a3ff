package dev.tandem.testing.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real etcd cluster of child processes on 127.0.0.1 (Debian's {@code /usr/bin/etcd}): each member with its own
 * free client and peer port and its own data directory under a temporary directory. A member can be killed
 * ({@code SIGKILL}), frozen ({@code SIGSTOP}), thawed and restarted on its data directory. {@link #close()} kills
 * every process this object started, by the PID it started, and removes the directory; a shutdown hook does the same
 * when the JVM ends first (a failed test that never reaches its cleanup). Every wait here is bounded.
 */
public final class EtcdMembers implements AutoCloseable {

    public static final Path ETCD = Path.of("/usr/bin/etcd");

    /**
     * How the members serve clients: {@code scheme} and address of the client URLs, and extra etcd flags (TLS files,
     * {@code --client-cert-auth}). Health is always asked on a plaintext metrics listener on 127.0.0.1, which etcd
     * serves without client certificates or authentication.
     */
    public record Serving(String scheme, String address, List<String> extraArgs) {
        public static final Serving PLAIN = new Serving("http", "127.0.0.1", List.of());
    }

    private final Path dir;
    private final Serving serving;
    private final String[] address;
    private final java.util.function.IntFunction<List<String>> wrap;
    private final int[] client;
    private final int[] peer;
    private final int[] metrics;
    private final String token = "tandem-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final Process[] running;
    private final Set<Process> started = new HashSet<>();
    private final Thread hook;
    private boolean closed;

    private EtcdMembers(Path dir, int members, Serving serving) {
        this(dir, java.util.Collections.nCopies(members, serving.address()), i -> List.of(), freePorts(3 * members),
                serving);
    }

    /**
     * @param ports three per member: client, peer, metrics; a metrics port of 0 means none (health is then asked on
     *              the client URL, which must be plaintext)
     */
    private EtcdMembers(Path dir, List<String> addresses, java.util.function.IntFunction<List<String>> wrap, int[] ports,
                        Serving serving) {
        int members = addresses.size();
        this.dir = dir;
        this.serving = serving;
        this.address = addresses.toArray(String[]::new);
        this.wrap = wrap;
        this.client = new int[members];
        this.peer = new int[members];
        this.metrics = new int[members];
        this.running = new Process[members];
        for (int i = 0; i < members; i++) {
            client[i] = ports[3 * i];
            peer[i] = ports[3 * i + 1];
            metrics[i] = ports[3 * i + 2];
        }
        this.hook = new Thread(this::killAll, "etcd members cleanup " + dir);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code members} members and waits (bounded by {@code within}) until the cluster answers. */
    public static EtcdMembers start(int members, Duration within) {
        return start(members, within, Serving.PLAIN);
    }

    /** The same, serving clients as {@code serving} says. */
    public static EtcdMembers start(int members, Duration within, Serving serving) {
        if (!Files.isExecutable(ETCD)) throw new IllegalStateException(ETCD + " is missing (bin/tandem install-deps)");
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "tandem-it-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EtcdMembers m = new EtcdMembers(dir, members, serving);
        try {
            for (int i = 0; i < members; i++) m.launch(i, "new");
            m.awaitHealthy(within);
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public int size() {
        return client.length;
    }

    /**
     * One member per host: member {@code i} listens on {@code addresses[i]} (etcd's usual ports 2379 and 2380: each
     * host is a network namespace of its own) and is started through {@code wrap.apply(i) + argv} (an nsenter into
     * that host). Its data directory is under /var/tmp, which the namespace hosts share with this machine.
     */
    public static EtcdMembers startOn(List<String> addresses, java.util.function.IntFunction<List<String>> wrap,
                                      Duration within) {
        if (!Files.isExecutable(ETCD)) throw new IllegalStateException(ETCD + " is missing (bin/tandem install-deps)");
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/var/tmp"), "tandem-it-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = new int[3 * addresses.size()];
        for (int i = 0; i < addresses.size(); i++) {
            ports[3 * i] = 2379;
            ports[3 * i + 1] = 2380; // no metrics listener: 127.0.0.1 in a host's namespace is not this machine's
        }
        EtcdMembers m = new EtcdMembers(dir, addresses, wrap, ports, Serving.PLAIN);
        try {
            for (int i = 0; i < addresses.size(); i++) m.launch(i, "new");
            m.awaitHealthy(within);
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The client URL of member {@code i}. */
    public String clientUrl(int i) {
        return serving.scheme() + "://" + address[i] + ":" + client[i];
    }

    /** Every member's client URL, comma-separated (what {@code --etcd} takes). */
    public String endpoints() {
        return IntStream.range(0, size()).mapToObj(this::clientUrl).collect(Collectors.joining(","));
    }

    public Path dir() {
        return dir;
    }

    public Path log(int i) {
        return dir.resolve("m" + i + ".log");
    }

    /** The PID of member {@code i}, when it runs. */
    public synchronized long pid(int i) {
        if (running[i] == null || !running[i].isAlive()) throw new IllegalStateException("member " + i + " is not running");
        return running[i].pid();
    }

    /** {@code kill -9} of member {@code i}, and waits (bounded) until it has exited. */
    public synchronized void kill(int i) {
        Process p = running[i];
        if (p == null) return;
        p.destroyForcibly(); // SIGKILL to this PID
        waitExit(p);
        running[i] = null;
    }

    /** {@code SIGSTOP}: the member is frozen, its sockets open, as a stalled host looks. */
    public synchronized void freeze(int i) {
        signal("STOP", pid(i));
    }

    /** {@code SIGCONT} after {@link #freeze}. */
    public synchronized void thaw(int i) {
        signal("CONT", pid(i));
    }

    /** Starts member {@code i} again on its data directory (after {@link #kill}). */
    public synchronized void restart(int i) {
        if (running[i] != null && running[i].isAlive()) throw new IllegalStateException("member " + i + " runs already");
        launch(i, "existing");
    }

    /**
     * Waits until every running member answers its health check (it has a leader and can serve a quorum read), at
     * most {@code within}.
     */
    public void awaitHealthy(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<Integer> sick = new ArrayList<>();
            for (int i = 0; i < size(); i++) if (isRunning(i) && !healthy(i)) sick.add(i);
            if (sick.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("etcd members " + sick + " not healthy after " + within + "; logs in " + dir);
            }
            sleep(100);
        }
    }

    public synchronized boolean isRunning(int i) {
        return running[i] != null && running[i].isAlive();
    }

    /** etcd's own {@code /health} on member {@code i}: true when it has a leader and answers a quorum read. */
    public boolean healthy(int i) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create((metrics[i] == 0 ? clientUrl(i)
                    : "http://127.0.0.1:" + metrics[i]) + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills every member this object started (thawed first, so that none stays frozen) and removes the directory. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        killAll();
        try {
            new ProcessBuilder("rm", "-rf", "--", dir.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private void killAll() {
        List<Process> all;
        synchronized (started) {
            all = List.copyOf(started);
        }
        for (Process p : all) {
            if (!p.isAlive()) continue;
            p.destroyForcibly(); // SIGKILL is delivered to a stopped process too
            waitExit(p);
        }
    }

    private void launch(int i, String state) {
        String name = "m" + i;
        String initial = IntStream.range(0, size()).mapToObj(j -> "m" + j + "=http://" + address[j] + ":" + peer[j])
                .collect(Collectors.joining(","));
        List<String> argv = new ArrayList<>(wrap.apply(i));
        argv.addAll(List.of(ETCD.toString(),
                "--name", name,
                "--data-dir", dir.resolve(name).toString(),
                "--listen-client-urls", clientUrl(i),
                "--advertise-client-urls", clientUrl(i),
                "--listen-peer-urls", "http://" + address[i] + ":" + peer[i],
                "--initial-advertise-peer-urls", "http://" + address[i] + ":" + peer[i],
                "--initial-cluster", initial,
                "--initial-cluster-state", state,
                "--initial-cluster-token", token,
                "--logger", "zap", "--log-outputs", "stderr"));
        if (metrics[i] != 0) argv.addAll(List.of("--listen-metrics-urls", "http://127.0.0.1:" + metrics[i]));
        argv.addAll(serving.extraArgs());
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile())).start();
            synchronized (started) {
                started.add(p);
            }
            running[i] = p;
        } catch (IOException e) {
            throw new UncheckedIOException("starting etcd member " + name, e);
        }
    }

    private static void waitExit(Process p) {
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("etcd pid " + p.pid() + " did not exit");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void signal(String sig, long pid) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
            if (!k.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("kill did not return");
            if (k.exitValue() != 0) throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code n} distinct ports free on 127.0.0.1 now (bounded search). */
    static int[] freePorts(int n) {
        Set<Integer> chosen = new java.util.LinkedHashSet<>();
        for (int attempt = 0; attempt < 1000 && chosen.size() < n; attempt++) {
            int p = 30000 + ThreadLocalRandom.current().nextInt(20000);
            if (!chosen.contains(p) && dev.tandem.testing.FreePorts.free("127.0.0.1", p)) chosen.add(p);
        }
        if (chosen.size() < n) throw new IllegalStateException("no " + n + " free ports found");
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
