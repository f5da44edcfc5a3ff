package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.dcs.EtcdClients;
import dev.tandem.dcs.EtcdSettings;
import dev.tandem.dcs.EtcdView;
import dev.tandem.testing.Cli;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.TestDir;
import dev.tandem.testing.etcd.EtcdMembers;
import dev.tandem.testing.etcd.TestCertificates;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tandem etcd attach} against real etcd servers secured as production ones are: TLS with client certificates
 * ({@code --client-cert-auth}, certificates made by openssl), etcd authentication (a user whose role covers only the
 * cluster's prefix), and plaintext on a non-loopback address. With the right options it attaches (and etcd answers
 * through the recorded settings); with a wrong or missing one it is refused, says why, and changes nothing.
 */
@Timeout(600)
class EtcdSecurityIT {

    static TestCluster tc;
    static Path coordDir;
    static TestDir files;

    @BeforeAll
    static void create() {
        tc = TestCluster.create("etcdsec", List.of("127.0.0.1", "127.0.0.2"), 1, dev.tandem.cluster.MirrorMode.GROUP);
        coordDir = tc.cluster().descriptor().datadir();
        files = TestDir.create("etcdsec-files");
    }

    @AfterAll
    static void teardown() {
        if (tc != null) tc.close();
        if (files != null) files.close();
    }

    static Cli.Result attach(String... args) {
        List<String> argv = new ArrayList<>(List.of("etcd", "attach"));
        argv.addAll(Arrays.asList(args));
        argv.addAll(List.of("-d", coordDir.toString()));
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run(argv.toArray(String[]::new));
        System.out.printf("attach %s: exit %d in %d ms%s%n", String.join(" ", args), r.exitCode(),
                (System.nanoTime() - t0) / 1_000_000, r.err().isBlank() ? "" : "\n  " + r.err().strip());
        return r;
    }

    static EtcdSettings recorded() throws Exception {
        return ClusterDescriptor.fromJson(Files.readString(coordDir.resolve(ClusterDescriptor.FILE)), "tandem.json").etcd();
    }

    /**
     * Refused: exit 2 when Tandem refuses the settings itself, 3 when etcd refuses the connection
     * (docs/exit-codes.md); the error names the command and contains {@code why}; tandem.json keeps {@code before}.
     */
    static void refused(Cli.Result r, EtcdSettings before, String... why) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isIn(dev.tandem.exit.ExitCode.USAGE.code(), dev.tandem.exit.ExitCode.FAILED.code());
        assertThat(r.err()).startsWith("tandem etcd attach: error: ").contains(why);
        assertThat(recorded()).isEqualTo(before);
    }

    @Test
    void tlsWithClientCertificates_attachesWithTheRightFiles_refusedWithoutOrWithWrongOnes() throws Exception {
        Path dir = Files.createDirectories(files.path().resolve("tls"));
        TestCertificates certs = TestCertificates.make(dir);
        try (EtcdMembers etcd = EtcdMembers.start(1, Duration.ofSeconds(30),
                new EtcdMembers.Serving("https", "127.0.0.1", certs.serverArgs()))) {
            String url = etcd.clientUrl(0);
            String prefix = "/tandem/tls-it/";
            EtcdSettings before = recorded();

            refused(attach(url, "--etcd-prefix", prefix, "--etcd-ca", certs.ca().toString()), before,
                    "does not answer", "etcd requires a client certificate (--client-cert-auth): give --etcd-cert and "
                            + "--etcd-key", "nothing changed");
            refused(attach(url, "--etcd-prefix", prefix, "--etcd-cert", certs.clientCert().toString(), "--etcd-key",
                    certs.clientKey().toString()), before, "does not answer", "etcd's server certificate is not signed "
                    + "by a CA we trust: give --etcd-ca", "nothing changed");
            refused(attach(url, "--etcd-prefix", prefix, "--etcd-ca", certs.ca().toString(), "--etcd-cert",
                    certs.rogueClientCert().toString(), "--etcd-key", certs.rogueClientKey().toString()), before,
                    "does not answer", "etcd refused our client certificate " + certs.rogueClientCert(), "nothing changed");
            // refused, but not explained: etcd's TLS port neither answers plain text with a TLS alert nor Go's 400 (seen here)
            refused(attach(url.replace("https://", "http://"), "--etcd-prefix", prefix), before, "does not answer");
            refused(attach(url, "--etcd-prefix", prefix, "--etcd-ca", certs.ca().toString(), "--etcd-cert",
                    certs.clientCert().toString()), before, "a client certificate needs both --etcd-cert and --etcd-key");
            refused(attach(url, "--etcd-prefix", prefix, "--etcd-ca", dir.resolve("missing.pem").toString()), before,
                    "missing.pem is not a readable file");

            Cli.Result ok = attach(url, "--etcd-prefix", prefix, "--etcd-ca", certs.ca().toString(), "--etcd-cert",
                    certs.clientCert().toString(), "--etcd-key", certs.clientKey().toString());
            assertThat(ok.exitCode()).as(ok.err()).isZero();
            EtcdSettings s = recorded();
            assertThat(s.tls()).isTrue();
            assertThat(s.caFile()).isEqualTo(certs.ca().toString());
            EtcdView.Report r = EtcdView.of(s);
            assertThat(r.error()).isEmpty();
            assertThat(r.members()).singleElement().satisfies(m -> assertThat(m.up()).isTrue());
            assertThat(Cli.run("etcd", "status", "-d", coordDir.toString()).exitCode()).isZero();
            assertThat(Cli.run("etcd", "detach", "-d", coordDir.toString()).exitCode()).isZero();
        }
    }

    @Test
    void etcdAuthentication_attachesWithTheRoleOfThePrefix_refusedWithAWrongPasswordNoUserOrAnotherPrefix()
            throws Exception {
        try (EtcdMembers etcd = EtcdMembers.start(1, Duration.ofSeconds(30))) {
            String url = etcd.clientUrl(0);
            String prefix = "/tandem/auth-it/";
            enableAuth(url, "tandem", "s3cret pass", prefix);
            Path good = Files.writeString(files.path().resolve("etcd.pass"), "s3cret pass\n");
            Path bad = Files.writeString(files.path().resolve("wrong.pass"), "guess\n");
            EtcdSettings before = recorded();

            refused(attach(url, "--etcd-prefix", prefix, "--etcd-user", "tandem", "--etcd-password-file", bad.toString()),
                    before, "does not answer", "authentication failed");
            refused(attach(url, "--etcd-prefix", prefix), before, "does not answer", "user name is empty");
            refused(attach(url, "--etcd-prefix", "/tandem/elsewhere/", "--etcd-user", "tandem", "--etcd-password-file",
                    good.toString()), before, "does not answer", "permission denied");
            refused(attach(url, "--etcd-prefix", prefix, "--etcd-user", "tandem"), before,
                    "etcd authentication needs both --etcd-user and --etcd-password-file");

            Cli.Result ok = attach(url, "--etcd-prefix", prefix, "--etcd-user", "tandem", "--etcd-password-file",
                    good.toString());
            assertThat(ok.exitCode()).as(ok.err()).isZero();
            EtcdSettings s = recorded();
            assertThat(s.user()).isEqualTo("tandem");
            assertThat(Files.readString(coordDir.resolve(ClusterDescriptor.FILE))).doesNotContain("s3cret");
            assertThat(EtcdView.of(s).error()).isEmpty();
            assertThat(Cli.run("etcd", "detach", "-d", coordDir.toString()).exitCode()).isZero();
        }
    }

    @Test
    void plaintextToANonLoopbackAddress_refusedWithoutEtcdInsecure_attachedWithIt() throws Exception {
        String address = nonLoopbackAddress();
        try (EtcdMembers etcd = EtcdMembers.start(1, Duration.ofSeconds(30),
                new EtcdMembers.Serving("http", address, List.of()))) {
            String url = etcd.clientUrl(0);
            EtcdSettings before = recorded();
            Cli.Result plain = attach(url, "--etcd-prefix", "/tandem/plain-it/");
            assertThat(plain.exitCode()).as("refused by Tandem itself").isEqualTo(dev.tandem.exit.ExitCode.USAGE.code());
            refused(plain, before, "etcd settings refused",
                    "is plaintext to another host", "--etcd-insecure");
            Cli.Result ok = attach(url, "--etcd-prefix", "/tandem/plain-it/", "--etcd-insecure");
            assertThat(ok.exitCode()).as(ok.err()).isZero();
            assertThat(recorded().insecure()).isTrue();
            assertThat(Cli.run("etcd", "detach", "-d", coordDir.toString()).exitCode()).isZero();
        }
    }

    /** This machine's first IPv4 address that is not loopback (the plaintext refusal is by the literal address). */
    static String nonLoopbackAddress() throws Exception {
        Process p = new ProcessBuilder("hostname", "-I").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return Arrays.stream(out.strip().split("\\s+")).filter(a -> a.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")
                && !a.startsWith("127.")).findFirst().orElseThrow(() -> new IllegalStateException("no IPv4 address: " + out));
    }

    /** etcd's own recipe: root user with the root role, a role read-write on the prefix only, then auth enable. */
    static void enableAuth(String url, String user, String password, String prefix) throws Exception {
        EtcdSettings plain = new EtcdSettings(List.of(url), "/x/", null, null, null, null, null, false, 3, true);
        try (Client c = EtcdClients.open(plain)) {
            var auth = c.getAuthClient();
            auth.userAdd(b("root"), b("root-pass")).get(10, TimeUnit.SECONDS);
            auth.roleAdd(b("root")).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(b("root"), b("root")).get(10, TimeUnit.SECONDS);
            auth.roleAdd(b("tandem-prefix")).get(10, TimeUnit.SECONDS);
            auth.roleGrantPermission(b("tandem-prefix"), b(prefix), b(prefixEnd(prefix)), Permission.Type.READWRITE)
                    .get(10, TimeUnit.SECONDS);
            auth.userAdd(b(user), b(password)).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(b(user), b("tandem-prefix")).get(10, TimeUnit.SECONDS);
            auth.authEnable().get(10, TimeUnit.SECONDS);
        }
    }

    /** The end of a prefix range: its last byte plus one. */
    static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }

    static ByteSequence b(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
