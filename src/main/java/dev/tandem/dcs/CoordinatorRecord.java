package dev.tandem.dcs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * The value of {@code <prefix>coordinator}: where the cluster's coordinator is now, published by the FTS leader that
 * activated it (docs/etcd.md). Daemons on every control host read it when they start, so that one whose local
 * {@code tandem.json} still names a lost coordinator follows the new one.
 *
 * @param term the FTS leader term under which it was published
 */
public record CoordinatorRecord(String host, String address, int port, String datadir, int dbid, long term,
                                String since, String why) {

    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Empty for a value this version cannot read (it is then not followed: the local tandem.json is). */
    public static Optional<CoordinatorRecord> fromJson(String json) {
        try {
            CoordinatorRecord r = JSON.readValue(json, CoordinatorRecord.class);
            return r.address() == null || r.datadir() == null || r.port() <= 0 ? Optional.empty() : Optional.of(r);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code address:port datadir}, as the logs name an instance. */
    public String location() {
        return address + ":" + port + " " + datadir;
    }

    /** Whether this names the instance at {@code address:port} with {@code datadir}. */
    public boolean names(String otherAddress, int otherPort, String otherDatadir) {
        return address.equals(otherAddress) && port == otherPort && datadir.equals(otherDatadir);
    }
}
