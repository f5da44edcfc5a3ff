package dev.tandem.web;

import dev.tandem.catalog.Role;
import dev.tandem.state.StateView;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * What a request under {@code /api/v1/} asks for, parsed strictly and purely (method, path, query): an unknown path
 * is 404, a wrong method 405, bad parameters 400, before anything is read.
 */
sealed interface ApiRoute {

    String PREFIX = "/api/v1/";

    /** {@code GET /api/v1/cluster?view=detail&quick=false}: the {@code state --json} document. */
    record Cluster(StateView view, boolean quick) implements ApiRoute {
    }

    /** {@code GET /api/v1/history?limit=&before=}. */
    record History(HistoryPaging paging) implements ApiRoute {
    }

    /** {@code GET /api/v1/settings}; {@code PUT} or {@code POST} with a JSON object of name → value. */
    record Settings(boolean change) implements ApiRoute {
    }

    /** {@code GET /api/v1/health}: is this daemon's FTS loop running rounds? */
    record DaemonHealth() implements ApiRoute {
    }

    /** {@code GET /api/v1/health/primary?host=H&port=P} (or {@code ?instance=H:P}), and {@code /mirror}. */
    record InstanceHealth(Role role, Health.Instance instance) implements ApiRoute {
    }

    /** {@code GET /api/v1/health/primary/<content>}. */
    record ContentHealth(int content) implements ApiRoute {
    }

    static ApiRoute parse(String method, String path, String rawQuery) {
        if (!path.startsWith(PREFIX)) throw HttpProblem.notFound("no such endpoint: " + path);
        String rest = path.substring(PREFIX.length());
        if (rest.endsWith("/")) rest = rest.substring(0, rest.length() - 1);
        String[] parts = rest.split("/", -1);
        boolean read = method.equals("GET") || method.equals("HEAD");
        switch (parts[0]) {
            case "cluster" -> {
                only(parts, 1, path);
                if (!read) throw HttpProblem.methodNotAllowed(method, "GET, HEAD");
                Query q = Query.parse(rawQuery, Set.of("view", "quick"));
                return new Cluster(q.get("view").map(ApiRoute::view).orElse(StateView.DETAIL),
                        q.get("quick").map(ApiRoute::bool).orElse(false));
            }
            case "history" -> {
                only(parts, 1, path);
                if (!read) throw HttpProblem.methodNotAllowed(method, "GET, HEAD");
                return new History(HistoryPaging.parse(Query.parse(rawQuery, HistoryPaging.PARAMETERS)));
            }
            case "settings" -> {
                only(parts, 1, path);
                Query.parse(rawQuery, Set.of());
                if (read) return new Settings(false);
                if (method.equals("PUT") || method.equals("POST")) return new Settings(true);
                throw HttpProblem.methodNotAllowed(method, "GET, HEAD, PUT, POST");
            }
            case "health" -> {
                if (!read) throw HttpProblem.methodNotAllowed(method, "GET, HEAD");
                if (parts.length == 1) {
                    Query.parse(rawQuery, Set.of());
                    return new DaemonHealth();
                }
                Role role = switch (parts[1]) {
                    case "primary" -> Role.PRIMARY;
                    case "mirror" -> Role.MIRROR;
                    default -> throw HttpProblem.notFound("no such endpoint: " + path + " (health checks: primary, mirror)");
                };
                if (parts.length == 2) {
                    return new InstanceHealth(role, Health.Instance.of(Query.parse(rawQuery, Set.of("host", "port", "instance"))));
                }
                only(parts, 3, path);
                if (role != Role.PRIMARY) throw HttpProblem.notFound("no such endpoint: " + path);
                Query.parse(rawQuery, Set.of());
                return new ContentHealth(content(parts[2]));
            }
            default -> throw HttpProblem.notFound("no such endpoint: " + path
                    + " (known: cluster, history, settings, health)");
        }
    }

    private static void only(String[] parts, int n, String path) {
        if (parts.length != n) throw HttpProblem.notFound("no such endpoint: " + path);
    }

    /** The views with a JSON of their own: -Q's and the pipe-separated rows are text forms only. */
    private static java.util.stream.Stream<StateView> jsonViews() {
        return Arrays.stream(StateView.values()).filter(v -> v != StateView.QUICK && v != StateView.PIPE);
    }

    private static StateView view(String s) {
        return jsonViews().filter(v -> v.jsonName().equals(s)).findFirst()
                .orElseThrow(() -> HttpProblem.badRequest("view must be one of " + jsonViews()
                        .map(StateView::jsonName).toList() + " (was '" + s + "')"));
    }

    private static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw HttpProblem.badRequest("quick must be true or false (was '" + s + "')");
        };
    }

    private static int content(String s) {
        try {
            int c = Integer.parseInt(s);
            if (c >= -1) return c;
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw HttpProblem.badRequest("content must be a number, -1 for the coordinator (was '" + s + "')");
    }
}
