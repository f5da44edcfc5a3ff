package dev.tandem.dcs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Why etcd did not answer, when the reason is ours: the gRPC client only retries until its deadline ("no quorum
 * answer within 2 s"), which tells an operator nothing about a certificate. This connects to each endpoint once
 * itself, with the same CA and client certificate, and names what failed: etcd's certificate not trusted, our client
 * certificate refused ({@code --client-cert-auth}), or {@code http://} to a TLS port. Each attempt is bounded.
 */
public final class EtcdDiagnosis {

    static final int TIMEOUT_MILLIS = 2000;
    /** What an HTTP/2 client says first: enough for etcd to read past the handshake and judge our certificate. */
    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private EtcdDiagnosis() {
    }

    /** One line per endpoint whose failure is explained; empty when nothing is found (a down etcd, auth...). */
    public static List<String> explain(EtcdSettings s) {
        List<String> out = new ArrayList<>();
        for (String e : s.endpoints()) {
            URI u;
            try {
                u = URI.create(e.strip());
            } catch (IllegalArgumentException ex) {
                continue;
            }
            Optional<String> why = "https".equalsIgnoreCase(u.getScheme()) ? tls(s, u) : plaintextToTls(u);
            why.ifPresent(w -> out.add(e + ": " + w));
        }
        return out;
    }

    static Optional<String> tls(EtcdSettings s, URI u) {
        SSLContext ctx;
        try {
            ctx = context(s);
        } catch (IOException | GeneralSecurityException | RuntimeException ex) {
            return Optional.of("the TLS files cannot be used: " + ex.getMessage());
        }
        try (SSLSocket sock = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            sock.connect(new InetSocketAddress(u.getHost(), u.getPort()), TIMEOUT_MILLIS);
            sock.setSoTimeout(TIMEOUT_MILLIS);
            SSLParameters p = sock.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setApplicationProtocols(new String[] {"h2"});
            sock.setSSLParameters(p);
            try {
                sock.startHandshake();
            } catch (SSLException ex) {
                return Optional.of(handshake(ex, s));
            }
            // with TLS 1.3 the server judges the client certificate after the handshake: its verdict is on the wire
            OutputStream o = sock.getOutputStream();
            o.write(H2_PREFACE);
            o.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
            o.flush();
            InputStream in = sock.getInputStream();
            String closed;
            try {
                if (in.read() >= 0) return Optional.empty(); // etcd answered: the trouble is not TLS
                closed = "closed";
            } catch (SSLException ex) {
                String h = handshake(ex, s);
                if (!h.startsWith("TLS handshake failed")) return Optional.of(h);
                closed = ex.getMessage();
            } catch (IOException ex) {
                closed = ex.getMessage();
            }
            // a gRPC server answers the preface; one that hangs up on it after the handshake judged our certificate
            return Optional.of((s.certFile() == null
                    ? "etcd requires a client certificate (--client-cert-auth): give --etcd-cert and --etcd-key"
                    : "etcd refused our client certificate " + s.certFile() + " (not signed by its --trusted-ca-file?)")
                    + " (it hung up after the TLS handshake: " + closed + ")");
        } catch (IOException ex) {
            return Optional.empty(); // not reachable at all: the quorum error says as much
        }
    }

    private static String handshake(SSLException ex, EtcdSettings s) {
        String m = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("pkix") || m.contains("unable to find valid certification path")) {
            return "etcd's server certificate is not signed by a CA we trust: give --etcd-ca, the CA that signed it"
                    + (s.caFile() != null ? " (" + s.caFile() + " is not)" : "");
        }
        if (m.contains("no subject alternative") || m.contains("no name matching")) {
            return "etcd's server certificate does not name this endpoint's host (" + ex.getMessage() + ")";
        }
        if (m.contains("bad_certificate") || m.contains("certificate_required") || m.contains("unknown_ca")
                || m.contains("bad certificate") || m.contains("certificate required")) {
            return s.certFile() == null
                    ? "etcd requires a client certificate (--client-cert-auth): give --etcd-cert and --etcd-key"
                    : "etcd refused our client certificate " + s.certFile() + " (not signed by its --trusted-ca-file?)";
        }
        return "TLS handshake failed: " + ex.getMessage();
    }

    /** An {@code http://} endpoint that is a TLS port: it answers plain text with a TLS alert, or a 400 saying so. */
    static Optional<String> plaintextToTls(URI u) {
        try (Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress(u.getHost(), u.getPort()), TIMEOUT_MILLIS);
            sock.setSoTimeout(TIMEOUT_MILLIS);
            sock.getOutputStream().write(("GET /version HTTP/1.1\r\nHost: " + u.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] reply = sock.getInputStream().readNBytes(512);
            // a TLS record (alert 0x15, handshake 0x16) in answer to plain text, or Go's own words for it
            boolean tls = reply.length > 0 && (reply[0] == 0x15 || reply[0] == 0x16)
                    || new String(reply, StandardCharsets.US_ASCII).contains("HTTPS server");
            return tls ? Optional.of("this endpoint speaks TLS: use https:// (with --etcd-ca)") : Optional.empty();
        } catch (IOException ex) {
            return Optional.empty();
        }
    }

    private static SSLContext context(EtcdSettings s) throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = null;
        if (s.caFile() != null) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (Certificate c : certificates(Path.of(s.caFile()))) ts.setCertificateEntry("ca" + i++, c);
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
        }
        KeyManagerFactory kmf = null;
        if (s.certFile() != null && s.keyFile() != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", privateKey(Path.of(s.keyFile())), new char[0],
                    certificates(Path.of(s.certFile())).toArray(Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    /** An unencrypted PKCS#8 PEM key (what jetcd reads too), RSA or EC. */
    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem);
        int from = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int to = text.indexOf("-----END PRIVATE KEY-----");
        if (from < 0 || to < 0) throw new GeneralSecurityException(pem + " is not an unencrypted PKCS#8 PEM key");
        byte[] der = Base64.getMimeDecoder().decode(text.substring(from + 27, to));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException ignored) {
                // the next algorithm
            }
        }
        throw new GeneralSecurityException(pem + ": not an RSA, EC or Ed25519 key");
    }
}
