package dev.rootcause;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.rootcause.diagnosis.step.StepRunner;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of docs/architecture.md, kept so by test: ports and adapters (the core owns its interfaces and
 * imports no adapter, no JAX-RS and no JDBC), no package cycles, adapters that do not know each other,
 * step types where a reader looks for them, HTTP resources only in {@code api}, and classes and folders
 * small enough to read (house style: under ~300 lines, a folder under ~20 files).
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.rootcause");

    /** The core: what rootcause is about, whatever it talks to. */
    private static final String[] CORE = {"dev.rootcause.alert..", "dev.rootcause.incident..", "dev.rootcause.changes..",
            "dev.rootcause.rule..", "dev.rootcause.diagnosis..", "dev.rootcause.report.."};

    /** The adapters: inbound HTTP, JDBC, and the outbound backends. */
    private static final String[] ADAPTERS = {"dev.rootcause.api..", "dev.rootcause.store..", "dev.rootcause.source..",
            "dev.rootcause.chat..", "dev.rootcause.ticket.."};

    /** House style: a class over this many lines wants splitting (STYLE "Size"; the before-stop hook checks the same). */
    private static final int MAX_CLASS_LINES = 300;

    /** House style: a folder past this many files is several rooms. */
    private static final int MAX_FOLDER_FILES = 20;

    @Test
    void coreDoesNotDependOnAdapters() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS)
                .because("the core owns the interfaces it needs; adapters depend inward on them")
                .check(CLASSES);
    }

    @Test
    void coreUsesNeitherJaxRsNorJdbc() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "java.sql..", "javax.sql..")
                .because("HTTP belongs to api/, SQL to store/ (behind repository interfaces the core owns)")
                .check(CLASSES);
    }

    /**
     * The rule-test tool replays recorded backend answers in their wire formats, so it may read the source
     * adapters' parsers (PromQL quoting, Prometheus JSON, Redis INFO …); it never reaches the store, chat,
     * tickets or HTTP resources, and the core never depends on it.
     */
    @Test
    void ruleTestsSitOutsideTheCore() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAPackage("dev.rootcause.ruletest..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.rootcause.ruletest..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rootcause.api..", "dev.rootcause.store..",
                        "dev.rootcause.chat..", "dev.rootcause.ticket..", "jakarta.ws.rs..", "java.sql..")
                .check(CLASSES);
    }

    /**
     * Top-level rooms, with {@code alert.reading} a room of its own (issue 17: "its own room, alert/reading/"): it is
     * what the rules, the engine and the report share about an alert, and imports no other room (checked below),
     * while {@code alert}'s webhook parser builds {@code incident}'s types.
     */
    @Test
    void topLevelRoomsAreFreeOfCycles() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (!p.startsWith("dev.rootcause.")) {
                    return SliceIdentifier.ignore();
                }
                if (p.equals("dev.rootcause.alert.reading") || p.startsWith("dev.rootcause.alert.reading.")) {
                    return SliceIdentifier.of("alert.reading");
                }
                String rest = p.substring("dev.rootcause.".length());
                return SliceIdentifier.of(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
            }

            @Override
            public String getDescription() {
                return "top-level rooms of dev.rootcause, alert.reading apart";
            }
        }).should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void alertReadingImportsNoOtherRoom() {
        classes().that().resideInAPackage("dev.rootcause.alert.reading..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.rootcause.alert.reading..", "java..",
                        "com.fasterxml.jackson.annotation..")
                .because("rules, engine and report import the reading; it must need none of them (no cycles)")
                .check(CLASSES);
    }

    @Test
    void everyPackageIsFreeOfCycles() {
        slices().matching("dev.rootcause.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void adaptersDoNotImportEachOther() {
        slices().matching("dev.rootcause.(source|chat|ticket).(*)..").namingSlices("$1.$2")
                .should().notDependOnEachOther()
                .because("each backend is replaceable on its own")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("dev.rootcause.source..", "dev.rootcause.chat..", "dev.rootcause.ticket..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rootcause.api..", "dev.rootcause.store..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("dev.rootcause.api..", "dev.rootcause.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rootcause.source..", "dev.rootcause.chat..",
                        "dev.rootcause.ticket..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.rootcause.store..")
                .should().dependOnClassesThat().resideInAPackage("dev.rootcause.api..")
                .check(CLASSES);
    }

    @Test
    void stepTypesLiveUnderDiagnosisStepAndEndInStep() {
        classes().that().implement(StepRunner.class).and().areNotInterfaces()
                .should().resideInAPackage("dev.rootcause.diagnosis.step..")
                .andShould().haveSimpleNameEndingWith("Step")
                .check(CLASSES);
    }

    @Test
    void httpResourcesOnlyInApi() {
        classes().that().areAnnotatedWith(Path.class).and().areNotInterfaces()
                .should().resideInAPackage("dev.rootcause.api..")
                .because("every inbound HTTP resource is in api/ (REST client interfaces belong to their adapter)")
                .check(CLASSES);
    }

    @Test
    void classesAndFoldersStaySmall() throws IOException {
        var root = Paths.get("src/main/java");
        List<String> big;
        List<String> crowded;
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            big = files.filter(p -> p.toString().endsWith(".java")).filter(p -> lines(p) > MAX_CLASS_LINES)
                    .map(p -> root.relativize(p) + " (" + lines(p) + " lines)").toList();
        }
        try (Stream<java.nio.file.Path> dirs = Files.walk(root)) {
            crowded = dirs.filter(Files::isDirectory).filter(d -> javaFiles(d) > MAX_FOLDER_FILES)
                    .map(d -> root.relativize(d) + " (" + javaFiles(d) + " files)").toList();
        }
        assertThat(big).as("classes over %d lines", MAX_CLASS_LINES).isEmpty();
        assertThat(crowded).as("folders over %d files", MAX_FOLDER_FILES).isEmpty();
    }

    private static long lines(java.nio.file.Path file) {
        try (Stream<String> l = Files.lines(file)) {
            return l.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long javaFiles(java.nio.file.Path dir) {
        try (Stream<java.nio.file.Path> l = Files.list(dir)) {
            return l.filter(p -> p.toString().endsWith(".java")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
