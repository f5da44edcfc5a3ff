package dev.tandem.catalog;

import java.util.Objects;

/**
 * A content's log-only witness (GaussDB's "dummy standby"): a {@code pg_receivewal --synchronous} on a third host,
 * streaming the acting primary's WAL into {@code dir} through its own slot, listed after the mirror in
 * {@code synchronous_standby_names}. It holds no data files and is never promoted; it is not a row of
 * {@code gp_segment_configuration}, whose roles stay p and m as Greenplum's tools expect.
 *
 * @param flushLsn the last position the witness was seen to have flushed (recorded at its transitions and trims)
 */
public record Witness(int content, String hostname, String address, String dir, Status status, String slot,
                      Lsn flushLsn) {

    /** The slot on the acting primary, the same name on whichever instance is primary. */
    public static final String SLOT = "tandem_witness";

    public Witness {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(flushLsn, "flushLsn");
        if (content < 0) throw new IllegalArgumentException("a witness serves a segment content, not " + content);
    }

    /** The {@code application_name} of its {@code pg_receivewal}: how the primary names it in its standby list. */
    public String applicationName() {
        return "witness_" + content;
    }

    public boolean isUp() {
        return status == Status.UP;
    }

    public Witness withStatus(Status s) {
        return new Witness(content, hostname, address, dir, s, slot, flushLsn);
    }

    public Witness withFlushLsn(Lsn l) {
        return new Witness(content, hostname, address, dir, status, slot, l);
    }

    public String subject() {
        return "[content=" + content + " witness " + address + ":" + dir + "]";
    }
}
