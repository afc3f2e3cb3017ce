package org.cnnsimplifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module rules of the code base, checked on the compiled classes. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.cnnsimplifier");

  @Test
  void engineIsPlainJavaAndDl4j() {
    noClasses()
        .that()
        .resideInAPackage("org.cnnsimplifier.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "java.sql..",
            "javax.sql..",
            "jakarta.servlet..",
            "jakarta.persistence..")
        .because("the engine runs and is tested without the service around it")
        .check(CLASSES);
  }

  @Test
  void engineDoesNotKnowTheService() {
    noClasses()
        .that()
        .resideInAPackage("org.cnnsimplifier.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.cnnsimplifier.catalog..",
            "org.cnnsimplifier.jobs..",
            "org.cnnsimplifier.workers..",
            "org.cnnsimplifier.storage..",
            "org.cnnsimplifier.system..",
            "org.cnnsimplifier.web..")
        .check(CLASSES);
  }

  @Test
  void blobStoreKnowsNothingOfWhatItStores() {
    noClasses()
        .that()
        .resideInAPackage("org.cnnsimplifier.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.cnnsimplifier.catalog..",
            "org.cnnsimplifier.jobs..",
            "org.cnnsimplifier.workers..",
            "org.cnnsimplifier.engine..")
        .check(CLASSES);
  }
}
