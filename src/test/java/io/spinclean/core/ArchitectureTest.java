package io.spinclean.core;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of STYLE.md, enforced on the production classes: dependencies point inward, only the
 * Kubernetes adapter knows fabric8, only the command line ends the JVM.
 */
class ArchitectureTest {
  /**
   * Production classes only. ArchUnit's own "no tests" option recognises {@code target/
   * test-classes}, but builds here use {@code -Dbuild.dir=target-NAME}, so match any test-classes.
   */
  private static final ImportOption PRODUCTION = location -> !location.contains("test-classes");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    // The rules look at spinclean's classes and at the names of what they use; following every
    // fabric8 and Jackson class through the class path would only make the import slow.
    ArchConfiguration config = ArchConfiguration.get();
    boolean resolve = config.resolveMissingDependenciesFromClassPath();
    config.setResolveMissingDependenciesFromClassPath(false);
    try {
      classes = new ClassFileImporter().withImportOption(PRODUCTION).importPackages("io.spinclean");
    } finally {
      config.setResolveMissingDependenciesFromClassPath(resolve);
    }
  }

  @Test
  void theRulesSeeEveryLayer() {
    // Without this, a rule about a package that was not imported would pass vacuously.
    assertThat(classes.contain(Planner.class)).isTrue();
    assertThat(classes.contain("io.spinclean.cli.Main")).isTrue();
    assertThat(classes.that(resideInAPackage("io.spinclean.kube.."))).isNotEmpty();
    assertThat(classes.contain(ArchitectureTest.class)).isFalse();
  }

  @Test
  void theCoreDependsOnlyOnTheJdk() {
    classes()
        .that()
        .resideInAPackage("io.spinclean.core..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.spinclean.core..")
        .because("the planner is pure: JDK only, no fabric8, picocli, Jackson or logging")
        .check(classes);
  }

  @Test
  void onlyTheKubernetesAdapterUsesFabric8() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.spinclean.kube..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.fabric8..")
        .because("io.spinclean.kube is the only package that talks to Kubernetes")
        .check(classes);
  }

  @Test
  void onlyTheCommandLineEndsTheJvm() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.spinclean.cli..")
        .should()
        .callMethod(System.class, "exit", int.class)
        .orShould()
        .callMethod(Runtime.class, "exit", int.class)
        .orShould()
        .callMethod(Runtime.class, "halt", int.class)
        .because("exit codes are decided in one place, the cli")
        .check(classes);
  }
}
