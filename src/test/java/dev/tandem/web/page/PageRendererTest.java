package dev.tandem.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PageRendererTest {

    static final Instant NOW = Instant.parse("2026-12-03T15:00:00.250Z");
    static final PageRenderer RENDERER =
            new PageRenderer(new String(Assets.read("web/index.html"), StandardCharsets.UTF_8));
    static final JsonNode NO_HISTORY = Documents.MAPPER.createArrayNode();

    static String render(JsonNode cluster) {
        return render(cluster, NO_HISTORY);
    }

    static String render(JsonNode cluster, JsonNode history) {
        return RENDERER.render(cluster, history, NOW, Map.of("status.css", "c55", "status.js", "j55"));
    }

    /** The opening tag of the instance with this dbid. */
    static String chip(String html, int dbid) {
        Matcher m = Pattern.compile("<li class=\"[^\"]*\" data-dbid=\"" + dbid + "\"[^>]*>").matcher(html);
        assertThat(m.find()).as("an instance with dbid " + dbid).isTrue();
        return m.group();
    }

    @Test
    void allWell_everyInstanceDrawnPerHost_withRoleStatusModeClasses_andTheAssetsVersioned() {
        String html = render(Documents.golden("all-well", "-s"));
        assertThat(html).contains("<meta name=\"viewport\"", "assets/status.css?v=c55", "assets/status.js?v=j55",
                "class=\"summary good\"", "All well: 4 hosts, 10 instances", "Every pair is in sync.",
                "No recovery running.", "As of <time id=\"updated\" datetime=\"2026-12-03T15:00:00.250Z\">"
                        + "2026-12-03 15:00:00.250 UTC</time>");
        assertThat(html).contains("<th scope=\"row\">sdw1</th>", "<th scope=\"row\">sdw2</th>");
        assertThat(chip(html, 2)).contains("role-primary", "status-up", "mode-synced", "pref-primary",
                "data-role=\"primary\"").doesNotContain("switched");
        assertThat(chip(html, 6)).contains("role-mirror", "pref-mirror", "data-role=\"mirror\"");
        assertThat(html).doesNotContain("{{");
    }

    @Test
    void failedOver_promotedMirrorAndDemotedPrimary_markedAsNotInTheirPreferredRole() {
        String html = render(Documents.golden("failed-over", "-s"));
        assertThat(chip(html, 6)).contains("role-primary", "pref-mirror", "switched", "data-preferred-role=\"mirror\"");
        assertThat(chip(html, 2)).contains("role-mirror", "status-down", "mode-not_synced", "pref-primary",
                "switched", "data-status=\"down\"");
        assertThat(chip(html, 3)).doesNotContain("switched");
        assertThat(html).contains("&#8644; preferred mirror", "&#8644; preferred primary", "&#9733; preferred role",
                "class=\"summary bad\"");
        assertThat(html).containsPattern("<tr data-content=\"0\"><td data-label=\"Content\">0</td>"
                + "<td data-label=\"Primary\">sdw2:7000 .*?</td><td data-label=\"Mirror\">sdw1:6000 "
                + "<span class=\"st-down\">down</span></td><td data-label=\"Behind\" class=\"behind\">unknown</td>"
                + "<td data-label=\"Replay lag\">unknown</td>"
                + "<td data-label=\"Catch-up\" class=\"eta\">mirror down: recover it</td></tr>");
    }

    @Test
    void catchingUp_pairNotInSync_showsBytesBehindFromTheWalSender_andEstimatesLater() {
        String html = render(Documents.golden("catching-up", "-s"));
        // 0/5A000000 current on the primary, 0/54000000 flushed by the mirror
        assertThat(html).containsPattern("<tr data-content=\"3\">.*?<td data-label=\"Behind\" class=\"behind\">"
                + "96.0 MiB</td><td data-label=\"Replay lag\">[^<]+</td>"
                + "<td data-label=\"Catch-up\" class=\"eta\">estimating</td>");
        assertThat(html).doesNotContain("<tr data-content=\"0\">");
    }

    @Test
    void catchingUp_withTheErrorsViewsEstimate_showsTheCatchUpTime() {
        ObjectNode doc = Documents.golden("catching-up", "-s");
        doc.set("unsynchronized", Documents.golden("catching-up", "-e").get("unsynchronized"));
        JsonNode cu = doc.get("unsynchronized").get(0).get("catchUp");
        assertThat(cu.get("estimatedSeconds").isNumber()).as("the golden case has an estimate").isTrue();
        String html = render(doc);
        assertThat(html).contains("class=\"eta\">about " + Figures.seconds(cu.get("estimatedSeconds").asDouble())
                + " at " + Figures.bytes(cu.get("rateBytesPerSecond").asLong()) + "/s</td>");
    }

    @Test
    void inRecovery_drawsAProgressBarForTheInstanceBeingRecovered() {
        String html = render(Documents.golden("in-recovery", "-s"));
        assertThat(html).contains("<ul class=\"recoveries\"><li data-dbid=\"7\">",
                "<progress max=\"100\" value=\"40\">40%</progress>");
        assertThat(chip(html, 7)).contains("recovering");
    }

    @Test
    void hostileCatalogText_isEscapedEverywhere_andNeverFillsATemplateSlot() {
        ObjectNode doc = Documents.golden("failed-over", "-s");
        String evil = "<img src=x onerror=alert(1)>\"'&{{grid}}";
        for (JsonNode i : doc.get("instances")) ((ObjectNode) i).put("hostname", evil);
        ((ObjectNode) doc.get("instances").get(0).get("probe")).put("result", "unreachable")
                .put("reason", "</span><script>alert(2)</script>");
        ((ArrayNode) doc.get("problems")).addObject().put("kind", "down").put("message", "<b>bold</b>");
        ArrayNode history = Documents.MAPPER.createArrayNode();
        history.addObject().put("time", "2026-12-03T14:00:00Z").put("dbid", 2).put("desc", "</td><script>x</script>");
        String html = render(doc, history);
        assertThat(html).doesNotContain("<img", "<script>", "<b>bold", "onerror=alert(1)>")
                .contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;{{grid}}",
                        "unreachable: &lt;/span&gt;&lt;script&gt;alert(2)&lt;/script&gt;", "&lt;b&gt;bold&lt;/b&gt;",
                        "&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;");
        assertThat(html.split("<script", -1)).as("the one script tag of the template").hasSize(2);
        assertThat(html.split("<table class=\"grid\"", -1)).as("the grid slot filled once").hasSize(2);
    }

    @Test
    void coordinatorDown_saysSoWithTheHint() {
        String html = render(Documents.golden("coordinator-down", "-s"));
        assertThat(html).contains("class=\"summary bad\">Coordinator down<", "<p class=\"down\">",
                "tandem activatestandby", "No instances in the document.");
    }

    @Test
    void history_newestFirst_atMostTwentyRows() {
        ArrayNode rows = Documents.MAPPER.createArrayNode();
        for (int i = 0; i < 30; i++) {
            rows.addObject().put("time", String.format("2026-12-03T14:00:%02d.5+00:00", i)).put("dbid", i)
                    .put("desc", "row " + i);
        }
        String html = render(Documents.golden("all-well", "-s"), rows);
        assertThat(html).contains("<td class=\"t\">2026-12-03 14:00:29.500 UTC</td><td>29</td><td>row 29</td>")
                .contains("row 10<").doesNotContain("row 9<");
        assertThat(html.indexOf("row 29<")).isLessThan(html.indexOf("row 28<"));
    }

    @Test
    void fts_placeholderWhileTheDocumentHasNone_keyValuesWhenItHas() {
        ObjectNode doc = Documents.golden("all-well", "-s");
        assertThat(render(doc)).contains("<p class=\"placeholder\">Not in the state document yet");
        doc.putObject("fts").put("leader", "cdw<1>").putObject("settings").put("gp_fts_probe_interval", 1);
        assertThat(render(doc)).contains("<dl class=\"fts\"><dt>leader</dt><dd>cdw&lt;1&gt;</dd>"
                + "<dt>settings.gp_fts_probe_interval</dt><dd>1</dd></dl>");
    }

    @Test
    void coordinatorWithoutStandby_isNotWarnedAbout_itsNotSyncedModeHasNoPartner() {
        ObjectNode doc = Documents.golden("no-standby", "-s");
        ((ObjectNode) doc.get("coordinator")).put("mode", "not_synced");
        String html = render(doc);
        assertThat(chip(html, 1)).contains("unpaired", "mode-not_synced");
        assertThat(html).contains("dbid 1 &middot; :5432 &middot; up &middot; no standby");
        assertThat(chip(html, 2)).doesNotContain("unpaired");
    }

    @Test
    void partialDocument_drawsWhatItHas() {
        String html = render(Documents.json("{\"instances\":[{\"dbid\":2,\"content\":0,\"hostname\":\"h\"}]}"));
        assertThat(chip(html, 2)).contains("role-unknown", "status-unknown", "probe-not_contacted");
    }
}
