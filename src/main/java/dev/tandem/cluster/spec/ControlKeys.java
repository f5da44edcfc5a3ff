package dev.tandem.cluster.spec;

import dev.tandem.cluster.CoordinatorHook;
import dev.tandem.dcs.EtcdSettings;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The control-plane keys of a YAML spec: {@code etcd:} (docs/etcd.md) and {@code onCoordinatorChange:}
 * (docs/standby.md). Each problem names the file and the line of the value at fault.
 *
 * <pre>
 * etcd:
 *   endpoints: [https://e1:2379, https://e2:2379, https://e3:2379]
 *   prefix: /tandem/prod/              # default /tandem/&lt;coordinator host&gt;-&lt;port&gt;-&lt;id&gt;/
 *   ca: /etc/tandem/etcd-ca.pem
 *   cert: /etc/tandem/etcd-client.pem  # with key
 *   key: /etc/tandem/etcd-client.key
 *   user: tandem                       # with passwordFile
 *   passwordFile: /etc/tandem/etcd.pass
 *   insecure: false                    # plaintext to a non-loopback endpoint
 *   leaseTtl: 3
 *   preferOffCoordinator: true
 * onCoordinatorChange: /usr/local/bin/move-vip     # or {command: ..., timeout: 60}
 * </pre>
 */
final class ControlKeys {

    static final Set<String> ETCD = Set.of("endpoints", "prefix", "ca", "cert", "key", "user", "passwordFile",
            "insecure", "leaseTtl", "preferOffCoordinator");
    static final Set<String> HOOK = Set.of("command", "timeout");

    private ControlKeys() {
    }

    /** {@code etcd:}, or null when absent. */
    static EtcdSettings etcd(YamlMapping top) {
        Optional<YamlMapping> node = top.optionalMapping("etcd");
        if (node.isEmpty()) return null;
        YamlMapping m = node.get().allowOnly(ETCD);
        List<YamlNode.Scalar> urls = m.list("endpoints");
        if (urls.isEmpty()) throw m.badValue("endpoints", "at least one etcd endpoint is needed");
        Optional<String> prefix = m.optionalText("prefix");
        EtcdSettings s = new EtcdSettings(urls.stream().map(YamlNode.Scalar::text).toList(), prefix.orElse(null),
                file(m, "ca"), file(m, "cert"), file(m, "key"), m.optionalText("user").orElse(null),
                file(m, "passwordFile"), m.optionalBoolean("insecure").orElse(false),
                m.optionalInteger("leaseTtl").orElse(EtcdSettings.DEFAULT_LEASE_TTL_SECONDS),
                m.optionalBoolean("preferOffCoordinator").orElse(true));
        for (YamlNode.Scalar u : urls) {
            List<String> p = endpointProblems(s, u.text());
            if (!p.isEmpty()) throw m.badValue("endpoints", u, String.join("; ", p));
        }
        if (prefix.isPresent() && !prefixProblems(s).isEmpty()) throw m.badValue("prefix", prefixProblems(s).get(0));
        if (m.has("leaseTtl") && !leaseProblems(s).isEmpty()) throw m.badValue("leaseTtl", leaseProblems(s).get(0));
        List<String> rest = rest(s);
        if (!rest.isEmpty()) throw top.badValue("etcd", String.join("; ", rest));
        return s;
    }

    /** {@code onCoordinatorChange:} as a command line, or {@code {command, timeout}}; null when absent. */
    static CoordinatorHook hook(YamlMapping top) {
        Optional<YamlNode> node = top.optional("onCoordinatorChange");
        if (node.isEmpty()) return null;
        String command;
        int timeout = CoordinatorHook.DEFAULT_TIMEOUT_SECONDS;
        YamlMapping at = top;
        String key = "onCoordinatorChange";
        if (node.get() instanceof YamlNode.Mapping) {
            YamlMapping m = top.mapping(key).allowOnly(HOOK);
            command = m.text("command");
            timeout = m.optionalInteger("timeout").orElse(timeout);
            CoordinatorHook h = new CoordinatorHook(command, timeout);
            if (!h.problems().isEmpty()) {
                throw m.badValue(h.problems().get(0).contains("timeout") ? "timeout" : "command", h.problems().get(0));
            }
            return h;
        }
        command = at.text(key);
        CoordinatorHook h = new CoordinatorHook(command, timeout);
        if (!h.problems().isEmpty()) throw at.badValue(key, String.join("; ", h.problems()));
        return h;
    }

    /** The problems of one endpoint, as {@link EtcdSettings#problems()} words them. */
    static List<String> endpointProblems(EtcdSettings s, String url) {
        return new EtcdSettings(List.of(url), "/p/", null, null, null, null, null, s.insecure(),
                EtcdSettings.DEFAULT_LEASE_TTL_SECONDS, true).problems();
    }

    static List<String> prefixProblems(EtcdSettings s) {
        return s.problems().stream().filter(p -> p.contains("prefix")).toList();
    }

    static List<String> leaseProblems(EtcdSettings s) {
        return s.problems().stream().filter(p -> p.contains("lease")).toList();
    }

    /** What is wrong across keys (mixed schemes, TLS files over http, a certificate without its key...). */
    static List<String> rest(EtcdSettings s) {
        EtcdSettings withPrefix = s.prefix() == null ? new EtcdSettings(s.endpoints(), "/p/", s.caFile(), s.certFile(),
                s.keyFile(), s.user(), s.passwordFile(), s.insecure(), s.leaseTtlSeconds(), s.preferOffCoordinator()) : s;
        return withPrefix.problems();
    }

    private static String file(YamlMapping m, String key) {
        Optional<String> v = m.optionalText(key);
        if (v.isPresent() && !v.get().startsWith("/")) throw m.badValue(key, "'" + v.get() + "' is not an absolute path");
        return v.orElse(null);
    }
}
