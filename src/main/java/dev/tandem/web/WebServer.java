package dev.tandem.web;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoint: the JDK's own {@code com.sun.net.httpserver} (plain, or TLS with a PKCS#12 key store),
 * every handler behind {@link Guard}. Requests run on virtual threads; a slow request never holds up another, and
 * none touches the FTS loop's thread.
 *
 * <p>{@link #mount} adds a handler at a path prefix, before or after {@link #start}; the longest mounted prefix
 * answers a request, so a page mounted at {@code /} answers whatever {@code /metrics} and {@code /api/v1/} do not.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private final HttpServer server;
    private final Access access;
    private final boolean tls;
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();

    private WebServer(HttpServer server, Access access, boolean tls) {
        this.server = server;
        this.access = access;
        this.tls = tls;
        server.setExecutor(requests);
    }

    /**
     * Binds (nothing is served until {@link #start}); refuses, with the reason, a configuration that
     * {@link EndpointConfig#refusal} forbids.
     */
    public static WebServer bind(EndpointConfig config) throws IOException {
        config.refusal(EndpointConfig.isLoopback(config.host())).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        InetSocketAddress at = new InetSocketAddress(config.host(), config.port());
        HttpServer s;
        if (config.keystore().isPresent()) {
            HttpsServer https = HttpsServer.create(at, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(config.keystore().get())));
            s = https;
        } else {
            s = HttpServer.create(at, 64);
        }
        return new WebServer(s, new Access(config.token()), config.tls());
    }

    static SSLContext sslContext(EndpointConfig.KeyStoreFile file) throws IOException {
        try (InputStream in = Files.newInputStream(file.path())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, file.password().toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, file.password().toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key store " + file.path() + ": " + e.getMessage(), e);
        }
    }

    /** Serves {@code handler} at {@code pathPrefix} (behind {@link Access}); one prefix, one handler. */
    public WebServer mount(String pathPrefix, HttpHandler handler) {
        server.createContext(pathPrefix, new Guard(access, handler));
        return this;
    }

    public WebServer start() {
        server.start();
        LOG.info("HTTP endpoint listening on {} ({}, {})", url(), tls ? "TLS" : "plain HTTP",
                access.hasToken() ? "token required except for health checks" : "no token: reads open, changes refused");
        return this;
    }

    /** The bound port (the real one when 0 was asked). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http(s)://HOST:PORT}, the host as bound (a wildcard bind is said as 0.0.0.0). */
    public String url() {
        String host = server.getAddress().getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return (tls ? "https" : "http") + "://" + host + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        requests.shutdownNow();
        LOG.info("HTTP endpoint stopped");
    }
}
