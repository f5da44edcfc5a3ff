package dev.tandem.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.fts.RoundReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The routing health checks, pure: the answer from the catalog as the FTS loop last read it and how old that
 * reading is. As HAProxy uses Patroni's {@code /primary}, a load balancer asks, for each of its backend servers,
 * "is this instance the acting primary?" and sends clients only to the one that says 200.
 *
 * <p>A stale view is no view: when the daemon has finished no round for {@link #staleAfter} (the coordinator is
 * down, this daemon does not hold the FTS lock, the loop is stuck), every check says 503, because the instance the
 * last round named may have failed over since. That takes the content out of the balancer until FTS acts again,
 * the price of never sending a client to a primary that may have been replaced.
 */
final class Health {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    record Answer(int status, ObjectNode body) {
    }

    /** Which instance a check is about: by address or hostname, and port. */
    record Instance(String host, int port) {
        static Instance of(Query q) {
            Optional<String> instance = q.get("instance");
            Optional<String> host = q.get("host");
            Optional<String> port = q.get("port");
            if (instance.isPresent() == (host.isPresent() || port.isPresent())) {
                throw HttpProblem.badRequest("name the instance either as ?host=H&port=P or as ?instance=H:P");
            }
            if (instance.isPresent()) {
                int colon = instance.get().lastIndexOf(':');
                if (colon <= 0) throw HttpProblem.badRequest("instance must be HOST:PORT (was '" + instance.get() + "')");
                return new Instance(instance.get().substring(0, colon), port(instance.get().substring(colon + 1)));
            }
            if (host.isEmpty() || port.isEmpty()) throw HttpProblem.badRequest("both host and port are needed");
            return new Instance(host.get(), port(port.get()));
        }

        private static int port(String s) {
            try {
                int p = Integer.parseInt(s);
                if (p >= 1 && p <= 65535) return p;
            } catch (NumberFormatException ignored) {
                // said below
            }
            throw HttpProblem.badRequest("port must be from 1 to 65535 (was '" + s + "')");
        }
    }

    private Health() {
    }

    /** How old the last round may be before the view is no longer trusted. */
    static Duration staleAfter(RoundReport r) {
        Duration bound = r.settings().probeInterval().multipliedBy(2).plus(r.settings().hangBound());
        return bound.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : bound;
    }

    /** {@code /api/v1/health}: is this daemon's FTS loop running rounds? */
    static Answer daemon(Optional<RoundReport> last, Optional<Double> ageSeconds) {
        Optional<String> stale = staleness(last, ageSeconds);
        ObjectNode body = F.objectNode().put("healthy", stale.isEmpty());
        ageSeconds.ifPresentOrElse(a -> body.put("lastRoundAgeSeconds", round3(a)), () -> body.putNull("lastRoundAgeSeconds"));
        stale.ifPresent(s -> body.put("reason", s));
        return new Answer(stale.isEmpty() ? 200 : 503, body);
    }

    /** {@code /api/v1/health/primary} and {@code /mirror}: is this instance the content's acting {@code role}, and up? */
    static Answer instance(Role role, Instance target, Optional<RoundReport> last, Optional<Double> ageSeconds) {
        if (last.isEmpty()) return unknownView(ageSeconds);
        List<Segment> matches = last.get().catalog().stream()
                .filter(s -> s.port() == target.port()
                        && (s.address().equals(target.host()) || s.hostname().equals(target.host())))
                .toList();
        if (matches.isEmpty()) {
            throw HttpProblem.notFound("no instance " + target.host() + ":" + target.port() + " in the catalog");
        }
        Segment s = matches.get(0);
        Optional<String> stale = staleness(last, ageSeconds);
        boolean healthy = stale.isEmpty() && s.role() == role && s.isUp();
        ObjectNode body = describe(s).put("healthy", healthy);
        String reason = stale.orElse(healthy ? "acting " + word(role) + ", up"
                : s.role() != role ? "acting " + word(s.role()) + ", not " + word(role) : "marked down in the catalog");
        body.put("reason", reason);
        return new Answer(healthy ? 200 : 503, body);
    }

    /** {@code /api/v1/health/primary/<content>}: has the content an acting primary that is up, and which? */
    static Answer content(int content, Optional<RoundReport> last, Optional<Double> ageSeconds) {
        if (last.isEmpty()) return unknownView(ageSeconds);
        List<Segment> rows = last.get().catalog().stream().filter(s -> s.content() == content).toList();
        if (rows.isEmpty()) throw HttpProblem.notFound("no content " + content + " in the catalog");
        Optional<Segment> primary = rows.stream().filter(s -> s.role() == Role.PRIMARY).findFirst();
        Optional<String> stale = staleness(last, ageSeconds);
        boolean healthy = stale.isEmpty() && primary.map(Segment::isUp).orElse(false);
        ObjectNode body = primary.map(Health::describe).orElse(F.objectNode().put("content", content));
        body.put("healthy", healthy).put("reason", stale.orElse(healthy ? "acting primary up"
                : "no acting primary that is up: content unavailable"));
        return new Answer(healthy ? 200 : 503, body);
    }

    private static Answer unknownView(Optional<Double> ageSeconds) {
        return new Answer(503, F.objectNode().put("healthy", false)
                .put("reason", "no FTS round finished yet by this daemon: nothing known"));
    }

    private static Optional<String> staleness(Optional<RoundReport> last, Optional<Double> ageSeconds) {
        if (last.isEmpty() || ageSeconds.isEmpty()) return Optional.of("no FTS round finished yet by this daemon");
        double bound = staleAfter(last.get()).toMillis() / 1e3;
        return ageSeconds.get() > bound ? Optional.of(String.format(java.util.Locale.ROOT,
                "the last FTS round finished %.1f s ago (more than %.1f s): this daemon's view is stale",
                ageSeconds.get(), bound)) : Optional.empty();
    }

    private static ObjectNode describe(Segment s) {
        return F.objectNode().put("dbid", s.dbid()).put("content", s.content()).put("hostname", s.hostname())
                .put("address", s.address()).put("port", s.port()).put("role", word(s.role()))
                .put("preferredRole", word(s.preferredRole())).put("status", s.isUp() ? "up" : "down")
                .put("mode", s.mode() == Mode.SYNCED ? "synced" : "not_synced");
    }

    private static String word(Role r) {
        return r == Role.PRIMARY ? "primary" : "mirror";
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
