package dev.tandem.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.cluster.Cluster;
import dev.tandem.fts.FtsControl;
import dev.tandem.fts.FtsSetting;
import dev.tandem.fts.FtsSettings;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/settings}: the FTS settings as {@code tandem config get} shows them, and changes through the same
 * path as {@code tandem config set} ({@link FtsControl#change}), all of a request's changes in one transaction: all
 * or nothing.
 */
final class SettingsApi {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsApi.class);
    static final int MAX_BODY = 64 * 1024;
    private final Cluster cluster;

    SettingsApi(Cluster cluster) {
        this.cluster = cluster;
    }

    JsonNode read() throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            FtsControl.createSchema(c);
            return render(FtsControl.effective(FtsControl.settings(c)));
        }
    }

    static ObjectNode render(FtsSettings s) {
        ObjectNode root = Responses.JSON.createObjectNode().put("schemaVersion", 1);
        ArrayNode list = root.putArray("settings");
        for (FtsSetting f : FtsSetting.values()) {
            list.addObject().put("name", f.settingName()).put("value", f.get(s))
                    .put("default", f.get(FtsSettings.DEFAULTS)).put("description", f.describe(s));
        }
        return root;
    }

    /** Parses the body: a JSON object of setting name → value (string or number); 400 otherwise. */
    static List<Map.Entry<String, String>> changes(byte[] body) {
        JsonNode n;
        try {
            n = Responses.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HttpProblem.badRequest("the body must be a JSON object of setting name to value: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpProblem.badRequest("the body could not be read: " + e.getMessage());
        }
        if (n == null || !n.isObject() || n.isEmpty()) {
            throw HttpProblem.badRequest("the body must be a non-empty JSON object of setting name to value, "
                    + "e.g. {\"gp_fts_probe_interval\": \"1s\"}");
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (var e : n.properties()) {
            if (!(e.getValue().isTextual() || e.getValue().isNumber())) {
                throw HttpProblem.badRequest(e.getKey() + ": the value must be a string or a number");
            }
            if (FtsSetting.named(e.getKey()).isEmpty()) throw HttpProblem.badRequest("unknown setting " + e.getKey());
            out.add(Map.entry(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    JsonNode change(byte[] body) throws SQLException {
        List<Map.Entry<String, String>> changes = changes(body);
        try (Connection c = cluster.coordinatorConnection()) {
            c.setAutoCommit(false);
            ObjectNode root = Responses.JSON.createObjectNode();
            ArrayNode done = root.putArray("changed");
            try {
                for (var e : changes) {
                    FtsControl.Change ch = FtsControl.change(c, e.getKey(), e.getValue());
                    done.addObject().put("name", ch.setting().settingName()).put("was", ch.was()).put("now", ch.now());
                }
                c.commit();
            } catch (IllegalArgumentException e) {
                c.rollback();
                throw HttpProblem.badRequest(e.getMessage());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            for (JsonNode d : done) {
                LOG.info("FTS setting {} = {} (was {}), changed over HTTP", d.get("name").asText(), d.get("now").asText(),
                        d.get("was").asText());
            }
            return root;
        }
    }
}
