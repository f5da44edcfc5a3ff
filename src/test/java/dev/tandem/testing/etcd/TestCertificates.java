package dev.tandem.testing.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for a TLS etcd, made with {@code openssl} in a directory: a CA, a server certificate for 127.0.0.1
 * (IP subject alternative name), a client certificate signed by the CA, and a client certificate signed by another
 * CA (a certificate etcd must refuse). Keys are unencrypted PKCS#8 PEM, as jetcd reads them. Valid for two days.
 */
public final class TestCertificates {

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates make(Path dir) {
        TestCertificates t = new TestCertificates(dir);
        t.ca("ca");
        t.ca("rogue-ca");
        t.signed("server", "ca", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        t.signed("client", "ca", "tandem", "extendedKeyUsage=clientAuth\n");
        t.signed("rogue-client", "rogue-ca", "tandem", "extendedKeyUsage=clientAuth\n");
        return t;
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public Path clientCert() {
        return dir.resolve("client.pem");
    }

    public Path clientKey() {
        return dir.resolve("client.key");
    }

    public Path rogueClientCert() {
        return dir.resolve("rogue-client.pem");
    }

    public Path rogueClientKey() {
        return dir.resolve("rogue-client.key");
    }

    /** The etcd flags of a TLS server that asks every client for a certificate signed by {@link #ca()}. */
    public List<String> serverArgs() {
        return List.of("--cert-file", serverCert().toString(), "--key-file", serverKey().toString(),
                "--trusted-ca-file", ca().toString(), "--client-cert-auth");
    }

    private void ca(String name) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                "-days", "2", "-subj", "/CN=tandem-it-" + name);
    }

    private void signed(String name, String ca, String cn, String extensions) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), extensions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) {
        List<String> argv = new ArrayList<>(List.of("openssl"));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl did not finish: " + argv);
            }
            if (p.exitValue() != 0) throw new IllegalStateException(argv + " failed: " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
