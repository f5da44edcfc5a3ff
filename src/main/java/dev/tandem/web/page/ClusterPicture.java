package dev.tandem.web.page;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.catalog.Lsn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the page draws, read from the {@code tandem state -s --json} document (docs/state-json.md, the detail view):
 * instances grouped by host, pairs not in sync with their lag, recoveries, problems. Pure and lenient: a field the
 * document lacks reads as unknown, never as an error, so the page still draws a partial or newer document.
 * status.js reads the same fields the same way; keep the two in step.
 */
record ClusterPicture(Optional<CoordinatorDown> coordinatorDown, List<String> problems, List<Host> hosts,
                      List<LaggingPair> lagging, List<Instance> recovering, Optional<JsonNode> fts) {

    record CoordinatorDown(String reason, String hint) {
    }

    record Host(String name, List<Instance> instances) {
    }

    record Recovery(String type, long completedBytes, long totalBytes, int percent) {
    }

    /** {@code paired}: the document has a partner for it (a mirror, or the coordinator's standby). */
    record Instance(int dbid, int content, String hostname, int port, String role, String preferredRole,
                    String status, String mode, String probe, String probeReason, Optional<Recovery> recovery,
                    boolean paired) {

        boolean switched() {
            return !role.equals(preferredRole);
        }

        String label() {
            return content < 0 ? (role.equals("primary") ? "coordinator" : "standby") : "seg" + content;
        }
    }

    /** A pair whose catalog mode is not synced: how far the mirror is behind, when that can be told. */
    record LaggingPair(int content, Instance primary, Optional<Instance> mirror, OptionalLong bytesBehind,
                       OptionalDouble replayLagSeconds, OptionalLong rateBytesPerSecond,
                       OptionalDouble catchUpSeconds) {
    }

    static ClusterPicture of(JsonNode cluster) {
        JsonNode down = cluster.path("coordinatorDown");
        Optional<CoordinatorDown> cd = down.isObject()
                ? Optional.of(new CoordinatorDown(text(down, "reason", "unknown"), text(down, "hint", "")))
                : Optional.empty();
        List<String> problems = new ArrayList<>();
        for (JsonNode p : cluster.path("problems")) problems.add(text(p, "message", text(p, "kind", "problem")));

        List<JsonNode> raw = new ArrayList<>();
        if (cluster.path("coordinator").isObject()) raw.add(cluster.get("coordinator"));
        if (cluster.path("standby").isObject()) raw.add(cluster.get("standby"));
        for (JsonNode n : cluster.path("instances")) raw.add(n);
        List<Integer> contents = raw.stream().map(n -> n.path("content").asInt()).toList();
        List<Instance> all = raw.stream().map(n -> instance(n,
                contents.stream().filter(c -> c == n.path("content").asInt()).count() > 1)).toList();

        Map<String, List<Instance>> byHost = new LinkedHashMap<>();
        for (Instance i : all) byHost.computeIfAbsent(i.hostname(), h -> new ArrayList<>()).add(i);
        Comparator<Instance> order = Comparator.comparingInt(Instance::content)
                .thenComparing(i -> i.role().equals("primary") ? 0 : 1).thenComparingInt(Instance::dbid);
        List<Host> hosts = byHost.entrySet().stream()
                .map(e -> new Host(e.getKey(), e.getValue().stream().sorted(order).toList())).toList();

        JsonNode fts = cluster.path("fts");
        return new ClusterPicture(cd, problems, hosts, lagging(cluster, raw, all),
                all.stream().filter(i -> i.recovery().isPresent()).toList(),
                fts.isObject() ? Optional.of(fts) : Optional.empty());
    }

    private static Instance instance(JsonNode n, boolean paired) {
        JsonNode probe = n.path("probe");
        JsonNode r = n.path("recovery");
        Optional<Recovery> recovery = r.isObject()
                ? Optional.of(new Recovery(text(r, "type", "recovery"), r.path("completedBytes").asLong(),
                r.path("totalBytes").asLong(), r.path("percent").asInt()))
                : Optional.empty();
        return new Instance(n.path("dbid").asInt(), n.path("content").asInt(), text(n, "hostname", "?"),
                n.path("port").asInt(), text(n, "role", "unknown"), text(n, "preferredRole", "unknown"),
                text(n, "status", "unknown"), text(n, "mode", "unknown"), text(probe, "result", "not_contacted"),
                text(probe, "reason", ""), recovery, paired);
    }

    private static List<LaggingPair> lagging(JsonNode cluster, List<JsonNode> raw, List<Instance> all) {
        List<LaggingPair> out = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
            Instance p = all.get(k);
            if (p.content() < 0 || !p.role().equals("primary")) continue;
            int mk = -1;
            for (int j = 0; j < all.size(); j++) {
                if (all.get(j).content() == p.content() && all.get(j).role().equals("mirror")) mk = j;
            }
            Optional<Instance> m = mk < 0 ? Optional.empty() : Optional.of(all.get(mk));
            if (m.isEmpty() || (p.mode().equals("synced") && m.get().status().equals("up"))) continue;
            JsonNode pn = raw.get(k).path("probe");
            JsonNode mn = mk < 0 ? null : raw.get(mk).path("probe");
            OptionalLong behind = behind(pn, mn);
            JsonNode lagN = pn.path("walSender").path("replayLagSeconds");
            OptionalDouble lag = lagN.isNumber() ? OptionalDouble.of(lagN.asDouble()) : OptionalDouble.empty();
            JsonNode catchUp = catchUp(cluster, p.content());
            JsonNode rate = catchUp.path("rateBytesPerSecond");
            JsonNode eta = catchUp.path("estimatedSeconds");
            if (behind.isEmpty() && catchUp.path("bytesBehind").isNumber()) {
                behind = OptionalLong.of(catchUp.get("bytesBehind").asLong());
            }
            out.add(new LaggingPair(p.content(), p, m, behind, lag,
                    rate.isNumber() ? OptionalLong.of(rate.asLong()) : OptionalLong.empty(),
                    eta.isNumber() ? OptionalDouble.of(eta.asDouble()) : OptionalDouble.empty()));
        }
        return out;
    }

    /**
     * The primary's current position minus what the mirror has flushed (from the walsender), or what the mirror
     * says it received when it is not connected: the same arithmetic as {@code state -e}.
     */
    private static OptionalLong behind(JsonNode primaryProbe, JsonNode mirrorProbe) {
        Optional<Lsn> current = lsn(primaryProbe.path("currentLsn"));
        if (current.isEmpty()) return OptionalLong.empty();
        Optional<Lsn> mirror = lsn(primaryProbe.path("walSender").path("flushLsn"));
        if (mirror.isEmpty() && mirrorProbe != null) mirror = lsn(mirrorProbe.path("receiveLsn"));
        return mirror.map(l -> OptionalLong.of(current.get().bytesAfter(l))).orElse(OptionalLong.empty());
    }

    /** The errors view's catch-up for a content ({@code unsynchronized[].catchUp}), when the document has it. */
    private static JsonNode catchUp(JsonNode cluster, int content) {
        for (JsonNode u : cluster.path("unsynchronized")) {
            if (u.path("content").asInt(Integer.MIN_VALUE) == content) return u.path("catchUp");
        }
        return cluster.path("__none__");
    }

    private static Optional<Lsn> lsn(JsonNode n) {
        if (!n.isTextual()) return Optional.empty();
        try {
            return Optional.of(Lsn.parse(n.asText()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String text(JsonNode n, String field, String absent) {
        JsonNode v = n.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : absent;
    }
}
