package dev.tandem.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may do what on the endpoint; pure, so every case is a unit test.
 *
 * <ul>
 *   <li>Health checks ({@code /api/v1/health...}) are open to everyone, whatever is configured: a load balancer asks
 *       them without a secret (as HAProxy asks Patroni's {@code /primary}), and they tell only which instance is
 *       whose acting primary.</li>
 *   <li>With a token configured, every other request needs it: {@code Authorization: Bearer TOKEN}, or basic auth
 *       whose password is the token (for tools that only do basic auth); missing or wrong is 401.</li>
 *   <li>With no token (possible on a loopback address only, see {@link EndpointConfig}), reads are open and writes
 *       are refused with 403: a change of FTS settings must always name a secret.</li>
 * </ul>
 */
public final class Access {

    public enum Verdict { ALLOW, UNAUTHORIZED, FORBIDDEN }

    public static final String HEALTH_PREFIX = "/api/v1/health";
    private final Optional<byte[]> token;

    public Access(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    public boolean hasToken() {
        return token.isPresent();
    }

    /** @param authorization the {@code Authorization} header, null when absent */
    public Verdict decide(String method, String path, String authorization) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (read && (path.equals(HEALTH_PREFIX) || path.startsWith(HEALTH_PREFIX + "/"))) return Verdict.ALLOW;
        if (token.isEmpty()) return read ? Verdict.ALLOW : Verdict.FORBIDDEN;
        return presented(authorization).filter(p -> MessageDigest.isEqual(p, token.get())).isPresent()
                ? Verdict.ALLOW : Verdict.UNAUTHORIZED;
    }

    /** The secret a request presents: a bearer token, or a basic-auth password. */
    static Optional<byte[]> presented(String authorization) {
        if (authorization == null) return Optional.empty();
        String h = authorization.strip();
        int sp = h.indexOf(' ');
        if (sp < 0) return Optional.empty();
        String scheme = h.substring(0, sp).toLowerCase(Locale.ROOT);
        String value = h.substring(sp + 1).strip();
        if (scheme.equals("bearer")) return value.isEmpty() ? Optional.empty() : Optional.of(value.getBytes(StandardCharsets.UTF_8));
        if (!scheme.equals("basic")) return Optional.empty();
        try {
            String userPass = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            int colon = userPass.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(userPass.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
