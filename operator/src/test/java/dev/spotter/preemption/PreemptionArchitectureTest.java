package dev.spotter.preemption;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The notice model and policy stay pure; parsers may read fabric8 model classes, not the client. */
class PreemptionArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.spotter.preemption", "dev.spotter.agent");

  @Test
  void noticeModelAndPolicyKnowNothingOfKubernetes() {
    noClasses()
        .that()
        .resideInAPackage("dev.spotter.preemption")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "io.micrometer..")
        .check(MAIN);
  }

  @Test
  void parsersUseModelClassesOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.spotter.preemption.source..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8.kubernetes.client..", "io.javaoperatorsdk..", "io.micrometer..")
        .check(MAIN);
  }
}
