package dev.tandem.dcs;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What {@code tandem state} and {@code tandem etcd status} say about etcd: each endpoint's own status, and the FTS
 * leader as a quorum read gives it. Every call is bounded; an endpoint or a quorum that does not answer is reported,
 * never waited for.
 */
public final class EtcdView {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One endpoint: its version, raft term and whether it knows a leader, or why it did not answer. */
    public record Member(String endpoint, boolean up, String detail) {
    }

    /** The leader key: who, which term (its create revision). */
    public record Leader(String holder, long term) {
    }

    /**
     * @param leader  empty when no leader key exists
     * @param error   set when the quorum read failed: then {@code leader} says nothing
     * @param daemons every FTS daemon registered under the prefix (leader and followers), by host and pid
     */
    public record Report(List<Member> members, Optional<Leader> leader, Optional<String> error,
                         List<LeaderRecord> daemons) {

        public Report(List<Member> members, Optional<Leader> leader, Optional<String> error) {
            this(members, leader, error, List.of());
        }

        /** The line {@code tandem state} prints for the daemons: each holder, the leader marked. */
        public String daemonsLine() {
            if (error.isPresent()) return "unknown (etcd unavailable)";
            if (daemons.isEmpty()) return "none registered";
            return String.join(", ", daemons.stream().map(d -> d.holder()
                    + (leader.isPresent() && leader.get().holder().equals(d.holder()) ? " (leader)" : " (follower)"))
                    .toList());
        }

        public long healthy() {
            return members.stream().filter(Member::up).count();
        }

        /** The line {@code tandem state} prints for the FTS leader. */
        public String leaderLine() {
            if (error.isPresent()) return "no FTS leader: etcd unavailable (" + error.get() + ")";
            return leader.map(l -> l.holder() + ", term " + l.term()).orElse("no FTS leader: none elected");
        }
    }

    private EtcdView() {
    }

    public static Report of(EtcdSettings s) {
        try (Client c = EtcdClients.open(s)) {
            return of(c, s);
        }
    }

    public static Report of(Client c, EtcdSettings s) {
        List<Member> members = new ArrayList<>();
        for (String e : s.endpoints()) {
            try {
                StatusResponse r = c.getMaintenanceClient().statusMember(e.strip()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                members.add(new Member(e, true, "etcd " + r.getVersion() + ", raft term " + r.getRaftTerm()
                        + (r.getLeader() == 0 ? ", NO LEADER" : "")));
            } catch (Exception ex) {
                members.add(new Member(e, false, "unreachable: " + LeaderElection.summary(ex)));
            }
        }
        try {
            GetResponse g = c.getKVClient().get(LeaderElection.bytes(s.leaderKey()))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Optional<Leader> leader = g.getKvs().stream().findFirst().map(EtcdView::leader);
            GetResponse d = c.getKVClient().get(LeaderElection.bytes(s.membersPrefix()),
                    GetOption.builder().isPrefix(true).build()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<LeaderRecord> daemons = d.getKvs().stream()
                    .map(kv -> LeaderRecord.fromJson(kv.getValue().toString(StandardCharsets.UTF_8))).toList();
            return new Report(members, leader, Optional.empty(), daemons);
        } catch (Exception ex) {
            return new Report(members, Optional.empty(), Optional.of(ex instanceof java.util.concurrent.TimeoutException
                    ? "no quorum answer within " + TIMEOUT.toSeconds() + " s" : LeaderElection.summary(ex)));
        }
    }

    private static Leader leader(KeyValue kv) {
        return new Leader(LeaderRecord.fromJson(kv.getValue().toString(StandardCharsets.UTF_8)).holder(),
                kv.getCreateRevision());
    }
}
