package dev.tandem.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What can be said of the installed SQL without a server; its behaviour is DistributedTablesIT's. */
class DistributedSetupTest {

    final String sql = DistributedSetup.script();

    @Test
    void script_isInTheBuild_andEveryStatementCanRunAgain() {
        assertThat(sql).contains("CREATE EXTENSION IF NOT EXISTS postgres_fdw", "CREATE EXTENSION IF NOT EXISTS dblink");
        Matcher creates = Pattern.compile("(?m)^CREATE (\\w+(?: \\w+)?)").matcher(sql);
        while (creates.find()) {
            String what = creates.group(1);
            assertThat(what).as("a CREATE that would fail on a second run")
                    .matches("EXTENSION IF|TABLE IF|OR REPLACE|TRIGGER \\w+|EVENT TRIGGER");
        }
        // the CREATE TRIGGERs are each preceded by their DROP ... IF EXISTS
        assertThat(sql).contains("DROP TRIGGER IF EXISTS repoint_segment_servers",
                "DROP EVENT TRIGGER IF EXISTS tandem_sql_drop", "DROP EVENT TRIGGER IF EXISTS tandem_alter_table_start",
                "DROP EVENT TRIGGER IF EXISTS tandem_alter_table_end",
                "DROP TRIGGER IF EXISTS tandem_mark_multi_segment_write");
    }

    @Test
    void dynamicSql_quotesIdentifiersAndLiterals() {
        // every EXECUTE builds its text with format(); no identifier is pasted in by concatenation
        Matcher executes = Pattern.compile("\\bEXECUTE (?!FUNCTION)([^;]*)").matcher(sql);
        int n = 0;
        while (executes.find()) {
            assertThat(executes.group(1).strip()).as("EXECUTE #%d", ++n).startsWith("format(");
        }
        assertThat(n).isGreaterThan(10);
    }

    @Test
    void thePasswordIsNeverAnOption_onlyTheRelativePassfile() {
        assertThat(sql).doesNotContainPattern("OPTIONS \\([^)]*\\bpassword %L");
        assertThat(DistributedSetup.PASSFILE_OPTION).isEqualTo("tandem.pgpass").doesNotStartWith("/");
        assertThat(sql).contains("password_required %L");
    }

    @Test
    void quoteIdent_doublesQuotes() {
        assertThat(DistributedSetup.quoteIdent("post\"gres")).isEqualTo("\"post\"\"gres\"");
    }
}
