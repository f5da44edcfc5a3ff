package dev.tandem.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What {@code tandem hosts check} found on one host. {@code problems} is empty when the host is fit; the table says
 * the facts, the problem lines say what is wrong in words that name the host.
 */
public record HostReport(String host, boolean reachable, String postgres, String ports, String diskFree,
                         OptionalDouble skewSeconds, List<String> problems) {

    public HostReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** A plain table (columns two spaces apart), then one line per problem. */
    public static String render(List<HostReport> reports) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("host", "ssh", "postgres", "ports", "disk free", "skew", "status"));
        for (HostReport r : reports) {
            rows.add(List.of(r.host(), r.reachable() ? "ok" : "UNREACHABLE", r.postgres(), r.ports(), r.diskFree(),
                    r.skewSeconds().isPresent() ? String.format("%+.3fs", r.skewSeconds().getAsDouble()) : "-",
                    r.ok() ? "ok" : "PROBLEM"));
        }
        int[] width = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + width[i] + "s  ", row.get(i)));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        for (HostReport r : reports) r.problems().forEach(p -> sb.append("problem: host ").append(r.host()).append(": ")
                .append(p).append('\n'));
        return sb.toString();
    }
}
