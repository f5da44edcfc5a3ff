package dev.tandem.fts;

import static dev.tandem.fts.FtsFixtures.apply;
import static dev.tandem.fts.FtsFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Movement;
import dev.tandem.catalog.PairShape;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.TransitionTable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every catalog change FTS can decide, over the exhaustive grid of {@link FtsPolicyExhaustiveTest}, is an allowed
 * edge of the catalog's {@link TransitionTable}, and the policy emits every FTS edge of the table.
 */
@Timeout(60)
class FtsPolicyTransitionsTest {

    @Test
    void everyCatalogChangeThePolicyCanDecide_isAnAllowedEdge_andEveryFtsEdgeIsReached() {
        Set<String> emitted = new TreeSet<>();
        int writes = 0;
        for (FtsPolicyExhaustiveTest.Case c : FtsPolicyExhaustiveTest.cases()) {
            Decision d = new FtsPolicy().decide(c.pair(), c.primary(), c.mirror(), c.memoryIn(),
                    FtsPolicyExhaustiveTest.NOW, FtsPolicyExhaustiveTest.SETTINGS);
            for (Action a : d.actions()) {
                if (!(a instanceof Action.WriteCatalog w)) continue;
                writes++;
                List<Segment> before = config(c.pair());
                List<Segment> after = apply(before, w.rows());
                assertThat(TransitionTable.refusals(before, after)).as(c.toString()).isEmpty();
                // the write expects exactly the rows the decision was made on
                assertThat(w.expected()).as(c.toString())
                        .containsExactlyInAnyOrderElementsOf(before.stream().filter(s -> s.content() == 0).toList());
                List<Segment> b0 = before.stream().filter(s -> s.content() == 0).toList();
                List<Segment> a0 = after.stream().filter(s -> s.content() == 0).toList();
                emitted.add(PairShape.of(b0).orElseThrow() + " " + PairShape.of(a0).orElseThrow() + " " + Movement.of(b0, a0));
            }
        }
        assertThat(writes).isGreaterThan(100);
        assertThat(emitted).containsExactlyInAnyOrder(
                "IN_SYNC MIRROR_DOWN KEPT", "CATCHING_UP MIRROR_DOWN KEPT",
                "CATCHING_UP IN_SYNC KEPT", "MIRROR_DOWN IN_SYNC KEPT",
                "IN_SYNC MIRROR_DOWN SWAPPED");
    }
}
