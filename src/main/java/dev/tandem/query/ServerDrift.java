package dev.tandem.query;

import dev.tandem.catalog.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A break of invariant 7 (each content's foreign server names the acting primary that the catalog names): the
 * server is missing, or points elsewhere. Found by a pure comparison of the catalog with pg_foreign_server, so that
 * {@code tandem state} and the tests share one definition.
 */
public record ServerDrift(int content, String server, Segment primary, String serverTarget) {

    public boolean missing() {
        return serverTarget.isEmpty();
    }

    public String message() {
        String primaryAt = primary.address() + ":" + primary.port();
        return missing()
                ? "content " + content + ": no foreign server " + server + " (run `tandem distributed setup`)"
                : "content " + content + ": foreign server " + server + " points at " + serverTarget
                        + " but the acting primary is " + primaryAt;
    }

    /** Every content whose acting primary (role p in the catalog) is not where its server points. */
    public static List<ServerDrift> find(List<Segment> catalog, List<SegmentServer> servers) {
        Map<Integer, SegmentServer> byContent = servers.stream()
                .collect(Collectors.toMap(SegmentServer::content, Function.identity(), (a, b) -> a));
        List<ServerDrift> out = new ArrayList<>();
        catalog.stream().filter(s -> s.content() >= 0 && s.isPrimary())
                .sorted(Comparator.comparingInt(Segment::content)).forEach(p -> {
                    SegmentServer srv = byContent.get(p.content());
                    String name = SegmentServer.nameOf(p.content());
                    if (srv == null) {
                        out.add(new ServerDrift(p.content(), name, p, ""));
                    } else if (!srv.host().equals(java.util.Optional.of(p.address()))
                            || !srv.port().equals(java.util.Optional.of(p.port()))) {
                        out.add(new ServerDrift(p.content(), name, p, srv.target()));
                    }
                });
        return List.copyOf(out);
    }
}
