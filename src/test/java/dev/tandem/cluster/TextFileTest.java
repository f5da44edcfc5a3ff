package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextFileTest {

    @Test
    void utf8_isRead() {
        assertThat(TextFile.decode("a|1|/d\nb é\n".getBytes(StandardCharsets.UTF_8), "f")).isEqualTo("a|1|/d\nb é\n");
    }

    @Test
    void latin1_saysFileLineAndColumn() {
        byte[] latin1 = "# recover\n127.0.0.1|6000|/data/caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> TextFile.decode(latin1, "recover.conf"))
                .isInstanceOf(ClusterException.class)
                .hasMessage("recover.conf:2: not UTF-8 text (byte 0xE9 at column 25)");
    }
}
