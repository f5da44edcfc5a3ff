package dev.tandem.witness;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.PairState;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import dev.tandem.catalog.Witness;
import dev.tandem.catalog.WitnessStore;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.cluster.WitnessReceiver;
import dev.tandem.fts.FtsControl;
import dev.tandem.instance.InstanceSql;
import dev.tandem.instance.WalSender;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Adds and removes witnesses on a running cluster ({@code tandem witness add|remove}, and init's
 * {@code --witness-host}). Adding admits the witness's host to the pair's pg_hba.conf, creates its slot on the acting
 * primary, starts its receiver and records it marked down: the FTS daemon marks it up and lists it after the mirror
 * once it streams, and keeps it running from then on. Removing takes it out of the catalog first (so FTS stops
 * keeping it), out of the primary's standby list, then stops its receiver and drops its slot; its directory is left.
 */
public final class WitnessSetup {

    static final Duration STREAM_WAIT = Duration.ofSeconds(20);

    private final Cluster cluster;
    private final Consumer<String> out;
    private final InstanceSql sql = new InstanceSql();

    public WitnessSetup(Cluster cluster, Consumer<String> out) {
        this.cluster = cluster;
        this.out = out;
    }

    /** The default place of a content's witness under {@code base}. */
    public static Path dirFor(Path base, int content) {
        return base.resolve("gpseg" + content);
    }

    /** A witness for every content that has none, on {@code host}, each in {@code base/gpsegN}. */
    public List<Witness> addAll(String host, Path base) throws SQLException {
        List<Witness> added = new ArrayList<>();
        List<Integer> have;
        try (Connection c = cluster.coordinatorConnection()) {
            WitnessStore.create(c);
            have = WitnessStore.read(c).stream().map(Witness::content).toList();
        }
        for (SegmentPair p : SegmentPair.of(cluster.configuration())) {
            if (p.content() < 0 || have.contains(p.content())) continue;
            added.add(add(p.content(), host, dirFor(base, p.content())));
        }
        return added;
    }

    public Witness add(int content, String host, Path dir) throws SQLException {
        SegmentPair pair = SegmentPair.of(cluster.configuration()).stream().filter(p -> p.content() == content)
                .findFirst().orElseThrow(() -> new ClusterException("no content " + content + " in the catalog"));
        refuseSharedHost(pair, host);
        Witness w = new Witness(content, host, host, dir.toAbsolutePath().normalize().toString(), Status.DOWN,
                Witness.SLOT, Lsn.ZERO);
        InstanceConfigurer configurer = new InstanceConfigurer(cluster.files(), cluster.descriptor().superuser());
        List<Segment> members = new ArrayList<>(List.of(pair.primary()));
        pair.mirror().ifPresent(members::add);
        for (Segment s : members) {
            if (!s.isUp()) continue; // a down mirror gets the line when recoverseg rewrites its files from the primary
            if (configurer.allowHost(s, host)) reload(s);
        }
        try (Connection c = cluster.connect(pair.primary())) {
            sql.createSlot(c, w.slot());
        }
        try (Connection c = cluster.coordinatorConnection()) {
            WitnessStore.create(c);
            WitnessStore.put(c, w, pair.primary().dbid(), "witness added for content " + content + " at " + host + ":"
                    + w.dir() + " (marked up by FTS once it streams)", Optional.empty());
        }
        long pid = new WitnessReceiver(cluster).restart(w, pair.primary());
        out.accept(w.subject() + " receiver started toward " + pair.primary().location() + " (pid " + pid + ")");
        Optional<WalSender> ws;
        try (Connection c = cluster.connect(pair.primary())) {
            ws = sql.awaitWalSender(c, w.applicationName(), WalSender::streaming, STREAM_WAIT, Duration.ofMillis(100));
        }
        out.accept(w.subject() + (ws.filter(WalSender::streaming).isPresent()
                ? " streaming; the FTS daemon lists it after the mirror at its next round"
                : " not streaming yet (see " + Path.of(w.dir()).resolve(WitnessReceiver.LOG_FILE) + "); the FTS daemon "
                        + "keeps starting it"));
        return w;
    }

    /** @return false when the content had no witness */
    public boolean remove(int content) throws SQLException {
        Optional<Witness> found;
        SegmentPair pair = SegmentPair.of(cluster.configuration()).stream().filter(p -> p.content() == content)
                .findFirst().orElseThrow(() -> new ClusterException("no content " + content + " in the catalog"));
        try (Connection c = cluster.coordinatorConnection()) {
            found = WitnessStore.of(c, content);
            if (found.isEmpty()) return false;
            WitnessStore.remove(c, content, pair.primary().dbid(), "witness of content " + content + " at "
                    + found.get().address() + ":" + found.get().dir() + " removed");
        }
        Witness w = found.get();
        try (Connection c = cluster.connect(pair.primary())) {
            if (sql.synchronousStandbyNames(c).contains(w.applicationName())) {
                String target = pair.state().filter(s -> s == PairState.IN_SYNC).isPresent()
                        ? InstanceConfigurer.applicationName(pair.mirror().orElseThrow()) : "";
                sql.setSynchronousStandbyNames(c, target);
                out.accept(pair.primary().subject() + " synchronous_standby_names = '" + target + "'");
            }
        } catch (SQLException e) {
            out.accept(pair.primary().subject() + " standby list not changed (" + e.getMessage() + "); FTS sets it");
        }
        WitnessReceiver receiver = new WitnessReceiver(cluster);
        boolean stopped = receiver.stop(w);
        // A round that read the row before it was deleted may still start the receiver: once a round that began after
        // the delete has run (and a moment for the last round's effects), stop whatever it started
        if (awaitFreshRound()) stopped |= receiver.stop(w);
        out.accept(w.subject() + (stopped ? " receiver stopped" : " no receiver was running"));
        try (Connection c = cluster.connect(pair.primary())) {
            if (sql.dropSlot(c, w.slot())) out.accept(pair.primary().subject() + " slot " + w.slot() + " dropped");
        } catch (SQLException e) {
            out.accept(pair.primary().subject() + " slot " + w.slot() + " not dropped: " + e.getMessage());
        }
        out.accept(w.subject() + " directory left in place: " + w.dir());
        return true;
    }

    /** Waits (5 s at most) for an FTS round that began now, when a daemon is probing; false when none is. */
    private boolean awaitFreshRound() {
        try (Connection c = cluster.coordinatorConnection()) {
            Optional<FtsControl.DaemonStatus> d = FtsControl.status(c);
            if (d.isEmpty() || d.get().roundAgeSeconds() == null || d.get().roundAgeSeconds() > 10) return false;
            try (Statement st = c.createStatement()) {
                st.execute("SELECT tandem.request_fts_probe(5)");
            }
            Thread.sleep(ROUND_EFFECTS.toMillis());
            return true;
        } catch (SQLException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Long enough for a witness start decided by the last round to have run (a slot and a process start). */
    static final Duration ROUND_EFFECTS = Duration.ofMillis(500);

    /** A witness shares no host with its pair: a host lost must not take two of the three copies. */
    static void refuseSharedHost(SegmentPair pair, String host) {
        List<Segment> members = new ArrayList<>(List.of(pair.primary()));
        pair.mirror().ifPresent(members::add);
        for (Segment s : members) {
            if (s.address().equals(host) || s.hostname().equals(host)) {
                throw new ClusterException("content " + pair.content() + ": the witness host " + host + " is the host of "
                        + s.subject() + "; a witness must be on a third host");
            }
        }
    }

    private void reload(Segment s) throws SQLException {
        try (Connection c = cluster.connect(s); Statement st = c.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
        }
    }
}
