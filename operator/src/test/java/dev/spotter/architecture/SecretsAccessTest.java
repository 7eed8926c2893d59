package dev.spotter.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import org.junit.jupiter.api.Test;

/**
 * The operator never reads Secrets: no compiled class of Spotter calls a client's
 * {@code secrets()} or even refers to the Secret type (which {@code resources(Secret.class)} would
 * need). ChartRbacTest checks the other half: the chart grants no rule on secrets.
 */
class SecretsAccessTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.spotter");

  @Test
  void noCodeCallsSecrets() {
    noClasses().should().callMethodWhere(target(name("secrets"))).check(MAIN);
  }

  @Test
  void noCodeUsesTheSecretType() {
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName(Secret.class.getName())
        .orShould().dependOnClassesThat().haveFullyQualifiedName(SecretList.class.getName()).check(MAIN);
  }
}
