package dev.tandem.dcs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a cluster reaches its etcd (docs/etcd.md), as kept in {@code tandem.json}: the endpoints, the key prefix that
 * holds everything of this cluster, TLS and authentication, and the FTS leader lease. The password itself is never
 * here: {@code passwordFile} names a file readable by the cluster's OS user on each control host.
 *
 * @param endpoints            client URLs, {@code http://} or {@code https://}
 * @param prefix               every key of this cluster lies under it; begins and ends with {@code /}
 * @param leaseTtlSeconds      the FTS leader's lease: a dead leader is replaced after about this long
 * @param preferOffCoordinator a daemon on the coordinator host campaigns one lease period later than the others, so
 *                             that losing that host does not also lose the detector
 * @param insecure             plaintext to a non-loopback endpoint was asked for (test hosts only)
 */
public record EtcdSettings(List<String> endpoints, String prefix, String caFile, String certFile, String keyFile,
                           String user, String passwordFile, boolean insecure, int leaseTtlSeconds,
                           boolean preferOffCoordinator) {

    public static final int DEFAULT_LEASE_TTL_SECONDS = 3;
    /** etcd's own floor: a lease shorter than 1.5 election timeouts (1 s by default) is granted longer anyway. */
    public static final int MIN_LEASE_TTL_SECONDS = 2;
    public static final int MAX_LEASE_TTL_SECONDS = 60;

    public EtcdSettings {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        if (leaseTtlSeconds == 0) leaseTtlSeconds = DEFAULT_LEASE_TTL_SECONDS; // an older tandem.json without it
    }

    /** The key of the FTS leader, attached to its lease. */
    @JsonIgnore
    public String leaderKey() {
        return prefix + "fts/leader";
    }

    /** The coordinator clients should use, as the last activation published it ({@link CoordinatorRecord}); no lease. */
    @JsonIgnore
    public String coordinatorKey() {
        return prefix + "coordinator";
    }

    /** Under it each FTS daemon registers itself, {@code <host>-<pid>}, attached to its own lease. */
    @JsonIgnore
    public String membersPrefix() {
        return prefix + "fts/members/";
    }

    /** Whether the standby coordinator is known to be in sync ({@link StandbySyncRecord}). */
    @JsonIgnore
    public String standbyKey() {
        return prefix + "coordinator/standby";
    }

    /** Whether TLS is used (every endpoint is {@code https://}, checked by {@link #problems()}). */
    @JsonIgnore
    public boolean tls() {
        return !endpoints.isEmpty() && endpoints.stream().allMatch(e -> e.toLowerCase(Locale.ROOT).startsWith("https://"));
    }

    /** Everything wrong with these settings, for the operator, each with what to do; empty when usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (endpoints.isEmpty()) p.add("no etcd endpoint given");
        int https = 0;
        for (String e : endpoints) {
            URI u;
            try {
                u = URI.create(e.strip());
            } catch (IllegalArgumentException ex) {
                p.add("etcd endpoint '" + e + "' is not a URL (http://HOST:PORT or https://HOST:PORT)");
                continue;
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getPort() < 1) {
                p.add("etcd endpoint '" + e + "' is not http://HOST:PORT or https://HOST:PORT");
                continue;
            }
            if (scheme.equals("https")) {
                https++;
            } else if (!insecure && !loopback(u.getHost())) {
                p.add("etcd endpoint " + e + " is plaintext to another host: use https:// (with --etcd-ca), or "
                        + "--etcd-insecure on a test network");
            }
        }
        if (https > 0 && https < endpoints.size()) p.add("etcd endpoints mix http:// and https://: use one scheme");
        boolean tlsFiles = caFile != null || certFile != null || keyFile != null;
        if (tlsFiles && https == 0 && !endpoints.isEmpty()) p.add("TLS files given but the etcd endpoints are http://");
        if ((certFile == null) != (keyFile == null)) p.add("a client certificate needs both --etcd-cert and --etcd-key");
        if ((user == null) != (passwordFile == null)) p.add("etcd authentication needs both --etcd-user and --etcd-password-file");
        if (prefix == null || !prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 3) {
            p.add("the etcd key prefix must begin and end with / (was " + prefix + ")");
        }
        if (leaseTtlSeconds < MIN_LEASE_TTL_SECONDS || leaseTtlSeconds > MAX_LEASE_TTL_SECONDS) {
            p.add("the FTS leader lease must be between " + MIN_LEASE_TTL_SECONDS + " and " + MAX_LEASE_TTL_SECONDS
                    + " seconds (was " + leaseTtlSeconds + ")");
        }
        return p;
    }

    /** Loopback by its literal name only: a name that resolves to 127.0.0.1 today may not tomorrow. */
    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h.equals("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** One line for the operator: where, how, which prefix. */
    public String describe() {
        return String.join(",", endpoints) + " prefix " + prefix + (tls() ? ", TLS" : ", plaintext")
                + (user != null ? ", user " + user : "") + ", leader lease " + leaseTtlSeconds + " s"
                + (preferOffCoordinator ? ", leader preferably off the coordinator host" : "");
    }
}
