package dev.rootcause;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Ports and adapters (docs/architecture.md, "Ports and adapters"): the core owns its interfaces and never imports an adapter. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.rootcause");

    @Test
    void coreDoesNotDependOnAdapters() {
        noClasses().that().resideInAnyPackage("dev.rootcause.incident..", "dev.rootcause.rule..",
                        "dev.rootcause.diagnosis..", "dev.rootcause.report..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rootcause.alert..", "dev.rootcause.source..",
                        "dev.rootcause.chat..", "dev.rootcause.ticket..", "dev.rootcause.access..")
                .check(CLASSES);
    }
}
