package dev.tandem.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of ARCHITECTURE.md ("lower packages never import higher ones"), checked on the compiled
 * classes: a package may use only packages of a lower rank, never one of its own rank or above, and no package
 * takes part in a cycle. docs/architecture.md draws the same ranks; change both together.
 */
class LayersTest {

    /** Rank of each top-level package under dev.tandem: a package may depend only on packages of a lower rank. */
    static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("host", 0), Map.entry("catalog", 0), Map.entry("time", 0), Map.entry("exit", 0),
            Map.entry("instance", 1), Map.entry("query", 1), Map.entry("dcs", 1),
            Map.entry("cluster", 2),
            Map.entry("fts", 3),
            Map.entry("rebalance", 4), Map.entry("recovery", 4), Map.entry("coordinator", 4), Map.entry("witness", 4),
            Map.entry("state", 5), Map.entry("topology", 5),
            // web (the daemon's HTTP endpoint) reads fts's rounds and state's JSON; cli composes it with daemon,
            // so the two are peers and neither knows the other
            Map.entry("daemon", 6), Map.entry("web", 6),
            Map.entry("demo", 7), Map.entry("drill", 7),
            Map.entry("cli", 8));

    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tandem");
    }

    @Test
    void everyPackageHasARank() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("src/main/java/dev/tandem"))) {
            List<String> packages = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList();
            assertThat(RANK.keySet()).as("every package under src/main/java/dev/tandem has a rank here")
                    .containsExactlyInAnyOrderElementsOf(packages);
        }
    }

    @Test
    void lowerPackagesNeverUseHigherOnesOrTheirPeers() {
        for (var p : RANK.entrySet()) {
            String[] notBelow = RANK.entrySet().stream()
                    .filter(q -> !q.getKey().equals(p.getKey()) && q.getValue() >= p.getValue())
                    .map(q -> "dev.tandem." + q.getKey() + "..").toArray(String[]::new);
            if (notBelow.length == 0) continue;
            noClasses().that().resideInAPackage("dev.tandem." + p.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(notBelow)
                    .because(p.getKey() + " (rank " + p.getValue() + ") may use only packages of a lower rank")
                    .check(main);
        }
    }

    @Test
    void noCycleAmongPackages() {
        slices().matching("dev.tandem.(*)..").should().beFreeOfCycles().check(main);
    }
}
