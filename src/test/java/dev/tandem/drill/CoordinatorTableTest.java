package dev.tandem.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CoordinatorTableTest {

    @Test
    void partitionsServer_namesItsContent_otherServersNone() {
        assertThat(CoordinatorTable.contentOfServer("tandem_seg0")).contains(0);
        assertThat(CoordinatorTable.contentOfServer("tandem_seg12")).contains(12);
        assertThat(CoordinatorTable.contentOfServer("tandem_seg")).isEmpty();
        assertThat(CoordinatorTable.contentOfServer("other_seg1")).isEmpty();
        assertThat(CoordinatorTable.contentOfServer("tandem_seg1x")).isEmpty();
        assertThat(CoordinatorTable.contentOfServer(null)).isEmpty();
    }

    @Test
    void rowsTableoid_givesTheContentItLandedOn_unknownOidNone() {
        CoordinatorTable t = new CoordinatorTable(Map.of(16400L, 0, 16405L, 1));
        assertThat(t.contentOf(16405L)).contains(1);
        assertThat(t.contentOf(99L)).isEqualTo(Optional.empty());
        assertThat(t.describe()).isEqualTo("contents [0, 1]");
    }
}
