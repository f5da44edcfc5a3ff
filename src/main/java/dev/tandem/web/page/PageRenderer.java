package dev.tandem.web.page;

import static dev.tandem.web.page.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.web.page.ClusterPicture.Host;
import dev.tandem.web.page.ClusterPicture.Instance;
import dev.tandem.web.page.ClusterPicture.LaggingPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole page as HTML from the cluster and history documents: what a browser without JavaScript shows, and
 * what status.js starts from. Pure: the same documents, versions and time give the same bytes. Every value from
 * the documents is escaped; the template's placeholders are filled in one pass, so a host named
 * {@code {{grid}}} stays text.
 */
final class PageRenderer {

    static final int HISTORY_ROWS = 20;
    private static final Pattern SLOT = Pattern.compile("\\{\\{(\\w+)}}");

    private final String template;

    PageRenderer(String template) {
        this.template = template;
    }

    String render(JsonNode cluster, JsonNode history, Instant now, Map<String, String> assetVersions) {
        ClusterPicture p = ClusterPicture.of(cluster);
        Map<String, String> slots = Map.ofEntries(
                Map.entry("cssVersion", escape(assetVersions.getOrDefault("status.css", ""))),
                Map.entry("jsVersion", escape(assetVersions.getOrDefault("status.js", ""))),
                Map.entry("summaryClass", p.coordinatorDown().isPresent() || !p.problems().isEmpty() ? "bad" : "good"),
                Map.entry("summary", escape(summary(p))),
                Map.entry("updatedIso", escape(now.toString())),
                Map.entry("updated", escape(Figures.time(now))),
                Map.entry("problems", problems(p)),
                Map.entry("grid", grid(p)),
                Map.entry("lagging", lagging(p)),
                Map.entry("recoveries", recoveries(p)),
                Map.entry("history", history(history)),
                Map.entry("fts", fts(p)));
        Matcher m = SLOT.matcher(template);
        StringBuilder out = new StringBuilder(template.length() * 2);
        while (m.find()) {
            String v = slots.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String summary(ClusterPicture p) {
        if (p.coordinatorDown().isPresent()) return "Coordinator down";
        long instances = p.hosts().stream().mapToLong(h -> h.instances().size()).sum();
        String counts = p.hosts().size() + " hosts, " + instances + " instances";
        return p.problems().isEmpty() ? "All well: " + counts
                : p.problems().size() + " problem(s): " + counts;
    }

    private static String problems(ClusterPicture p) {
        StringBuilder b = new StringBuilder();
        if (p.coordinatorDown().isPresent()) {
            b.append("<p class=\"down\">").append(escape(p.coordinatorDown().get().reason())).append("</p><p>")
                    .append(escape(p.coordinatorDown().get().hint())).append("</p>");
        }
        if (p.problems().isEmpty()) return b.isEmpty() ? "<p class=\"none\">None.</p>" : b.toString();
        b.append("<ul class=\"problems\">");
        for (String s : p.problems()) b.append("<li>").append(escape(s)).append("</li>");
        return b.append("</ul>").toString();
    }

    private static String grid(ClusterPicture p) {
        if (p.hosts().isEmpty()) return "<p class=\"none\">No instances in the document.</p>";
        StringBuilder b = new StringBuilder("<table class=\"grid\"><thead><tr><th scope=\"col\">Host</th>"
                + "<th scope=\"col\">Instances</th></tr></thead><tbody>");
        for (Host h : p.hosts()) {
            b.append("<tr><th scope=\"row\">").append(escape(h.name())).append("</th><td><ul class=\"instances\">");
            for (Instance i : h.instances()) b.append(instance(i));
            b.append("</ul></td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** One instance: colour from the classes, and the same facts in words (colour alone is not enough). */
    static String instance(Instance i) {
        String cls = "inst role-" + i.role() + " status-" + i.status() + " mode-" + i.mode() + " pref-"
                + i.preferredRole() + " probe-" + i.probe() + (i.switched() ? " switched" : "")
                + (i.recovery().isPresent() ? " recovering" : "") + (i.paired() ? "" : " unpaired");
        StringBuilder b = new StringBuilder("<li class=\"").append(escape(cls)).append("\" data-dbid=\"")
                .append(i.dbid()).append("\" data-content=\"").append(i.content()).append("\" data-role=\"")
                .append(escape(i.role())).append("\" data-preferred-role=\"").append(escape(i.preferredRole()))
                .append("\" data-status=\"").append(escape(i.status())).append("\" data-mode=\"")
                .append(escape(i.mode())).append("\">");
        b.append("<span class=\"what\">").append(escape(i.label())).append(" <b class=\"role\">")
                .append(escape(i.role())).append("</b></span>");
        b.append("<span class=\"pref\">").append(i.switched() ? "&#8644; preferred " + escape(i.preferredRole())
                : "&#9733; preferred role").append("</span>");
        b.append("<span class=\"facts\">dbid ").append(i.dbid()).append(" &middot; :").append(i.port())
                .append(" &middot; ").append(escape(i.status())).append(" &middot; ")
                .append(escape(i.paired() ? i.mode().replace('_', ' ') : i.content() < 0 ? "no standby" : "no mirror"))
                .append("</span>");
        if (i.probe().equals("unreachable")) {
            b.append("<span class=\"reason\">unreachable: ").append(escape(i.probeReason())).append("</span>");
        }
        return b.append("</li>").toString();
    }

    private static String lagging(ClusterPicture p) {
        if (p.lagging().isEmpty()) return "<p class=\"none\">Every pair is in sync.</p>";
        StringBuilder b = new StringBuilder("<table class=\"lagging\"><thead><tr><th scope=\"col\">Content</th>"
                + "<th scope=\"col\">Primary</th><th scope=\"col\">Mirror</th><th scope=\"col\">Behind</th>"
                + "<th scope=\"col\">Replay lag</th><th scope=\"col\">Catch-up</th></tr></thead><tbody>");
        for (LaggingPair l : p.lagging()) {
            // data-label: a phone shows each row as a block, labelled from here by the stylesheet
            b.append("<tr data-content=\"").append(l.content()).append("\"><td data-label=\"Content\">")
                    .append(l.content()).append("</td><td data-label=\"Primary\">").append(where(l.primary()))
                    .append("</td><td data-label=\"Mirror\">")
                    .append(l.mirror().map(PageRenderer::where).orElse("none"))
                    .append("</td><td data-label=\"Behind\" class=\"behind\">")
                    .append(l.bytesBehind().isPresent() ? Figures.bytes(l.bytesBehind().getAsLong()) : "unknown")
                    .append("</td><td data-label=\"Replay lag\">")
                    .append(l.replayLagSeconds().isPresent() ? Figures.seconds(l.replayLagSeconds().getAsDouble())
                            : "unknown")
                    .append("</td><td data-label=\"Catch-up\" class=\"eta\">").append(catchUp(l)).append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private static String catchUp(LaggingPair l) {
        if (l.mirror().isPresent() && !l.mirror().get().status().equals("up")) return "mirror down: recover it";
        if (l.catchUpSeconds().isPresent()) {
            return "about " + Figures.seconds(l.catchUpSeconds().getAsDouble())
                    + (l.rateBytesPerSecond().isPresent()
                    ? " at " + Figures.bytes(l.rateBytesPerSecond().getAsLong()) + "/s" : "");
        }
        return "estimating";
    }

    private static String where(Instance i) {
        return escape(i.hostname()) + ":" + i.port() + " <span class=\"st-" + escape(i.status()) + "\">"
                + escape(i.status()) + "</span>";
    }

    private static String recoveries(ClusterPicture p) {
        if (p.recovering().isEmpty()) return "<p class=\"none\">No recovery running.</p>";
        StringBuilder b = new StringBuilder("<ul class=\"recoveries\">");
        for (Instance i : p.recovering()) {
            ClusterPicture.Recovery r = i.recovery().get();
            b.append("<li data-dbid=\"").append(i.dbid()).append("\"><span>").append(escape(i.label()))
                    .append(" dbid ").append(i.dbid()).append(" on ").append(escape(i.hostname())).append(':')
                    .append(i.port()).append(", ").append(escape(r.type())).append("</span><progress max=\"100\" value=\"")
                    .append(r.percent()).append("\">").append(r.percent()).append("%</progress><span>")
                    .append(r.percent()).append("% (").append(Figures.bytes(r.completedBytes())).append(" of ")
                    .append(r.totalBytes() > 0 ? Figures.bytes(r.totalBytes()) : "unknown").append(")</span></li>");
        }
        return b.append("</ul>").toString();
    }

    static String history(JsonNode rows) {
        List<JsonNode> list = new ArrayList<>();
        rows.forEach(list::add);
        if (list.isEmpty()) return "<p class=\"none\">No history rows.</p>";
        list.sort(Comparator.comparingLong((JsonNode r) -> Figures.epochMillis(ClusterPicture.text(r, "time", "")))
                .reversed());
        StringBuilder b = new StringBuilder("<table class=\"history\"><thead><tr><th scope=\"col\">Time</th>"
                + "<th scope=\"col\">dbid</th><th scope=\"col\">What changed and why</th></tr></thead><tbody>");
        for (JsonNode r : list.subList(0, Math.min(HISTORY_ROWS, list.size()))) {
            b.append("<tr><td class=\"t\">").append(escape(Figures.time(ClusterPicture.text(r, "time", ""))))
                    .append("</td><td>").append(escape(ClusterPicture.text(r, "dbid", ""))).append("</td><td>")
                    .append(escape(ClusterPicture.text(r, "desc", ""))).append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** FTS settings and leader, printed as they come; a placeholder while the state document has no "fts". */
    static String fts(ClusterPicture p) {
        if (p.fts().isEmpty()) {
            return "<p class=\"placeholder\">Not in the state document yet: FTS settings and the FTS leader "
                    + "(daemon host, last round) will show here once <code>state --json</code> carries an "
                    + "<code>fts</code> object.</p>";
        }
        StringBuilder b = new StringBuilder("<dl class=\"fts\">");
        flatten("", p.fts().get(), b);
        return b.append("</dl>").toString();
    }

    private static void flatten(String prefix, JsonNode n, StringBuilder b) {
        n.fields().forEachRemaining(e -> {
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) flatten(key + ".", e.getValue(), b);
            else b.append("<dt>").append(escape(key)).append("</dt><dd>")
                    .append(escape(value(e.getValue())))
                    .append("</dd>");
        });
    }

    private static String value(JsonNode v) {
        if (v.isNull()) return "unknown";
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
