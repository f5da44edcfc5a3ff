package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.testing.Cli;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server itself on loopback: HTTPS with a PKCS#12 key made by the JDK's keytool, the token, the Guard's
 * answers (401 with a challenge, 403, a handler's 4xx, a handler's crash as 500), and the refusal to listen off
 * loopback unprotected, from the command line before anything starts.
 */
@Timeout(60)
class WebServerTest {

    @TempDir
    Path dir;

    static final String PASSWORD = "changeit";

    Path keystore() throws Exception {
        Path ks = dir.resolve("fts.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "fts", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return ks;
    }

    static HttpClient trusting(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("fts", store.getCertificate("fts"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpResponse<String> send(HttpClient c, String url, String method, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void https_withAToken_theGuardAnswers401_403_4xx_500() throws Exception {
        Path ks = keystore();
        EndpointConfig cfg = EndpointConfig.listen("127.0.0.1:0", Optional.of("tok"),
                Optional.of(new EndpointConfig.KeyStoreFile(ks, PASSWORD)));
        try (WebServer s = WebServer.bind(cfg)) {
            s.mount("/ok", ex -> Responses.error(ex, 200, "fine"));
            s.mount("/bad", ex -> {
                throw HttpProblem.badRequest("no good");
            });
            s.mount("/boom", ex -> {
                throw new IllegalStateException("bug");
            });
            s.mount(Access.HEALTH_PREFIX, ex -> Responses.error(ex, 200, "healthy"));
            s.start();
            assertThat(s.url()).startsWith("https://127.0.0.1:");
            HttpClient c = trusting(ks);
            assertThat(send(c, s.url() + "/ok", "GET", "tok").statusCode()).isEqualTo(200);
            HttpResponse<String> no = send(c, s.url() + "/ok", "GET", null);
            assertThat(no.statusCode()).isEqualTo(401);
            assertThat(no.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"tandem\"");
            assertThat(send(c, s.url() + "/ok", "GET", "tok2").statusCode()).isEqualTo(401);
            assertThat(send(c, s.url() + "/api/v1/health", "GET", null).statusCode()).as("open").isEqualTo(200);
            HttpResponse<String> bad = send(c, s.url() + "/bad", "GET", "tok");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("no good");
            assertThat(send(c, s.url() + "/boom", "GET", "tok").statusCode()).isEqualTo(500);
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> send(untrusting, s.url() + "/ok", "GET", "tok"))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void noToken_readsOpen_changesForbidden() throws Exception {
        try (WebServer s = WebServer.bind(EndpointConfig.listen("127.0.0.1:0", Optional.empty(), Optional.empty()))) {
            s.mount("/x", ex -> Responses.error(ex, 200, "fine")).start();
            HttpClient c = HttpClient.newHttpClient();
            assertThat(send(c, s.url() + "/x", "GET", null).statusCode()).isEqualTo(200);
            HttpResponse<String> put = send(c, s.url() + "/x", "PUT", "anything");
            assertThat(put.statusCode()).isEqualTo(403);
            assertThat(put.body()).contains("--http-token-file");
        }
    }

    @Test
    void offLoopbackUnprotected_isRefused_byTheServer_andByFtsStartBeforeAnythingStarts() {
        assertThatThrownBy(() -> WebServer.bind(EndpointConfig.listen("0.0.0.0:0", Optional.of("t"), Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing to listen on 0.0.0.0:0");
        for (String cmd : new String[] {"start", "run"}) {
            Cli.Result r = Cli.run("fts", cmd, "-d", dir.resolve("no-cluster").toString(), "--http", "0.0.0.0:7070");
            assertThat(r.exitCode()).as(cmd).isEqualTo(2);
            assertThat(r.err()).as(cmd).contains("refusing to listen on 0.0.0.0:7070 without a token (--http-token-file) "
                    + "and TLS (--http-keystore)");
        }
    }
}
