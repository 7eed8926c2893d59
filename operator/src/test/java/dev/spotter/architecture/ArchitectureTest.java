package dev.spotter.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, enforced: decision code is pure (no Kubernetes client,
 * no JOSDK, no Micrometer) and never reaches up into the operator's wiring.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.spotter");

  private static final String[] DECISION = {"dev.spotter.scheduling..", "dev.spotter.policy..", "dev.spotter.sim..", "dev.spotter.checkpoint.."};
  private static final String[] RUNTIME = {"io.fabric8.kubernetes.client..", "io.javaoperatorsdk..", "io.micrometer.."};
  private static final String[] WIRING = {"dev.spotter.reconcile..", "dev.spotter.fleet..", "dev.spotter.operator..", "dev.spotter.cli..", "dev.spotter.demo..", "dev.spotter.bench.."};

  @Test
  void decisionCodeUsesNoKubernetesClientNoOperatorFrameworkNoMetrics() {
    noClasses().that().resideInAnyPackage(DECISION).should().dependOnClassesThat().resideInAnyPackage(RUNTIME).check(MAIN);
  }

  @Test
  void decisionCodeDoesNotReachIntoTheOperator() {
    noClasses().that().resideInAnyPackage(DECISION).should().dependOnClassesThat().resideInAnyPackage(WIRING).check(MAIN);
  }

  @Test
  void decisionCodeSeesOnlyTheApiEnumsNotTheCustomResources() {
    noClasses().that().resideInAnyPackage("dev.spotter.scheduling..", "dev.spotter.policy..", "dev.spotter.checkpoint..")
        .should().dependOnClassesThat().haveSimpleNameEndingWith("Spec").orShould().dependOnClassesThat().haveSimpleNameEndingWith("Status")
        .check(MAIN);
  }

  @Test
  void reconcilersDoNotDependOnTheDemoOrTheCommandLine() {
    noClasses().that().resideInAnyPackage("dev.spotter.reconcile..", "dev.spotter.fleet..", "dev.spotter.operator..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.spotter.demo..", "dev.spotter.cli..", "dev.spotter.bench..").check(MAIN);
  }
}
