package dev.tandem.cli;

import dev.tandem.state.StateView;
import java.nio.file.Path;

/**
 * gpstate --printSampleExternalTableSql, for a PostgreSQL coordinator: Greenplum's external web table does not
 * exist there, so the same rows are loaded with {@code COPY ... FROM PROGRAM} (superuser, run on the coordinator host).
 */
final class SampleTableSql {

    private SampleTableSql() {
    }

    static String text(Path coordinatorDatadir) {
        String program = "tandem state " + StateView.PIPE.flag() + " -d " + coordinatorDatadir;
        return "\nDROP TABLE IF EXISTS gpstate_segment_status;\n\n"
                + "CREATE TABLE gpstate_segment_status\n(" + String.join(", ", dev.tandem.state.StateViews.pipeColumns())
                + ");\n\nCOPY gpstate_segment_status FROM PROGRAM '" + program.replace("'", "''")
                + "'\nWITH (FORMAT text, DELIMITER '|', NULL '');\n";
    }
}
