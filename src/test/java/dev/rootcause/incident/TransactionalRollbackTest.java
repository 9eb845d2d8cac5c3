package dev.rootcause.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.transaction.Transactional;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JTA rolls back only on unchecked exceptions by default: a {@code @Transactional} method that throws
 * {@link java.sql.SQLException} halfway would commit its first writes. Every such method must say
 * {@code rollbackOn = Exception.class}.
 */
class TransactionalRollbackTest {

    @Test
    void everyTransactionalMethodRollsBackOnCheckedExceptions() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.rootcause");
        List<String> offenders = classes.stream().flatMap(c -> c.getMethods().stream())
                .filter(m -> m.isAnnotatedWith(Transactional.class))
                .filter(m -> !Arrays.asList(m.getAnnotationOfType(Transactional.class).rollbackOn()).contains(Exception.class))
                .map(JavaMethod::getFullName).toList();
        assertThat(offenders).isEmpty();
        assertThat(classes.stream().flatMap(c -> c.getMethods().stream()).filter(m -> m.isAnnotatedWith(Transactional.class)))
                .as("the check sees the store's transactions").hasSizeGreaterThan(5);
    }
}
