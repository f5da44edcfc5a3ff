package dev.tandem.query;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A multi-segment write that committed on some segments while the coordinator aborted it (status
 * {@code aborted}), or marked by another coordinator, whose fate this one cannot tell ({@code unknown}); one row of
 * {@code tandem.partial_commits()} (commits.sql). {@code committedOn} holds the contents where its mark, and so its
 * rows, committed; {@code written} the contents it had written when its last surviving mark was made.
 */
public record PartialCommit(long coordinatorTxid, String status, List<Integer> committedOn, List<Integer> written,
                            Instant firstMarked) {

    public PartialCommit {
        committedOn = List.copyOf(committedOn);
        written = List.copyOf(written);
    }

    /** The contents it wrote and did not commit on, as far as the surviving marks say. */
    public List<Integer> notCommittedOn() {
        return written.stream().filter(c -> !committedOn.contains(c)).toList();
    }

    public String message() {
        String ack = "; once repaired: SELECT tandem.acknowledge_partial_commit(" + coordinatorTxid + ")";
        if (!status.equals("aborted")) {
            return "transaction " + coordinatorTxid + " of another coordinator (another system identifier) left "
                    + "marks on content(s) " + list(committedOn) + "; this coordinator cannot tell whether it "
                    + "committed; check its rows" + ack;
        }
        List<Integer> missing = notCommittedOn();
        return "coordinator transaction " + coordinatorTxid + " committed on content(s) " + list(committedOn)
                + " but aborted on the coordinator"
                + (missing.isEmpty() ? "" : ", not committed on content(s) " + list(missing)) + ack;
    }

    private static String list(List<Integer> contents) {
        return contents.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /**
     * Runs the check in the connected coordinator database; none when distributed tables were never set up there.
     * It deletes the marks of committed transactions as it goes (see commits.sql), so it needs every segment server
     * reachable.
     */
    public static List<PartialCommit> read(Connection c) throws SQLException {
        List<PartialCommit> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT to_regproc('tandem.partial_commits') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) return List.of();
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT coordinator_txid, status, committed_on, written_segments, first_marked
                    FROM tandem.partial_commits()""")) {
                while (rs.next()) {
                    out.add(new PartialCommit(rs.getLong(1), rs.getString(2), ints(rs.getArray(3)),
                            ints(rs.getArray(4)), rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<Integer> ints(Array a) throws SQLException {
        if (a == null) return List.of();
        List<Integer> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) out.add(((Number) o).intValue());
        return out;
    }
}
