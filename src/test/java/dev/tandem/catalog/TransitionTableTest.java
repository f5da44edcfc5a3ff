package dev.tandem.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransitionTableTest {

    static final Segment COORD = new Segment(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, 5432,
            "h0", "h0", "/c");
    static final Segment P = new Segment(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 6000, "h1", "h1", "/p");
    static final Segment M = new Segment(3, 0, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, 7000, "h2", "h2", "/m");

    static List<Segment> config(Segment... rows) {
        List<Segment> out = new ArrayList<>(List.of(COORD));
        out.addAll(List.of(rows));
        return out;
    }

    @Test
    void eachChangeIsOneRowOfTheTable_noDuplicates() {
        Set<String> keys = new HashSet<>();
        for (Transition t : TransitionTable.EDGES) {
            assertThat(keys.add(t.from() + " " + t.to() + " " + t.how())).as(t.toString()).isTrue();
            assertThat(t.reason()).isNotBlank();
        }
    }

    @Test
    void failoverOfAnInSyncPair_isAllowed() {
        List<Segment> after = config(M.withRole(Role.PRIMARY).withMode(Mode.NOT_SYNCED),
                P.withRole(Role.MIRROR).withStatus(Status.DOWN).withMode(Mode.NOT_SYNCED));
        assertThat(TransitionTable.refusals(config(P, M), after)).isEmpty();
    }

    @Test
    void promotingAMirrorMarkedDown_isRefusedWithTheReason() {
        Segment p = P.withMode(Mode.NOT_SYNCED);
        Segment m = M.withMode(Mode.NOT_SYNCED).withStatus(Status.DOWN);
        List<Segment> after = config(m.withRole(Role.PRIMARY).withStatus(Status.UP),
                p.withRole(Role.MIRROR).withStatus(Status.DOWN));
        assertThatThrownBy(() -> TransitionTable.check(config(p, m), after))
                .isInstanceOf(ForbiddenTransition.class)
                .hasMessageContaining("[content=0] mirror-down -> mirror-down (roles swapped) is refused")
                .hasMessageContaining("invariant 3");
    }

    @Test
    void movingAnUpMirror_isRefused_butADownOneMoves() {
        Segment moved = M.withPlace("h3", "h3", 7001, "/m2");
        assertThat(TransitionTable.refusals(config(P, M), config(P, moved))).singleElement().asString()
                .contains("in-sync -> in-sync (mirror moved) is refused");
        Segment p = P.withMode(Mode.NOT_SYNCED);
        Segment down = M.withMode(Mode.NOT_SYNCED).withStatus(Status.DOWN);
        assertThat(TransitionTable.refusals(config(p, down), config(p, down.withPlace("h3", "h3", 7001, "/m2")))).isEmpty();
    }

    @Test
    void aChangeNotListed_isRefused_andUnchangedContentsAreNotChecked() {
        // primary moved: no tool does that
        assertThat(TransitionTable.refusals(config(P, M), config(P.withPlace("h9", "h9", 1, "/x"), M)))
                .singleElement().asString().contains("is not an edge");
        assertThat(TransitionTable.refusals(config(P, M), config(P, M))).isEmpty();
        // the coordinator's rows are left to the invariants
        assertThat(TransitionTable.refusals(config(P, M), List.of(COORD.withMode(Mode.SYNCED), P, M))).isEmpty();
    }

    @Test
    void initCreatesPairs_switchoverSwapsIntoCatchingUp() {
        assertThat(TransitionTable.refusals(List.of(COORD), config(P, M))).isEmpty();
        assertThat(TransitionTable.refusals(config(P, M), config(M.withRole(Role.PRIMARY).withMode(Mode.NOT_SYNCED),
                P.withRole(Role.MIRROR).withMode(Mode.NOT_SYNCED)))).isEmpty();
    }

    @Test
    void render_listsEveryEdgeAndTheStates() {
        String text = TransitionTable.render();
        assertThat(text.lines().filter(l -> l.matches("\\S+ +\\S+ +.+ +(yes|no) +.+"))).hasSize(TransitionTable.EDGES.size());
        assertThat(text).contains("u,n / d,n", "any change not listed is refused");
    }
}
