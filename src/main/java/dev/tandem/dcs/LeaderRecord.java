package dev.tandem.dcs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The FTS leader key's value: who leads. Its term is the key's create revision, which etcd gives with the key. */
public record LeaderRecord(String host, long pid, String since) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value this version cannot read still names someone: shown as it is. */
    public static LeaderRecord fromJson(String json) {
        try {
            return JSON.readValue(json, LeaderRecord.class);
        } catch (IOException e) {
            return new LeaderRecord(json, 0, "");
        }
    }

    /** {@code host pid N}: the holder as the catalog and the log name it. */
    public String holder() {
        return host + " pid " + pid;
    }
}
