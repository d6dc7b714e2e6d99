package io.spinclean.core;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of CONTRIBUTING.md ("House style"), enforced on the production classes: dependencies
 * point inward, only the Kubernetes adapter knows fabric8, only the command line ends the JVM.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  /**
   * Imports the production classes only, from the directory or jar that holds them: scanning the
   * whole class path for the package would also walk every fabric8 jar, and ArchUnit's own "no
   * tests" option only knows {@code target/test-classes}, while builds here use other directories.
   */
  @BeforeAll
  static void importClasses() throws URISyntaxException {
    Path production =
        Path.of(Planner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // The rules look at spinclean's classes and at the names of what they use; following every
    // fabric8 and Jackson class through the class path would only make the import slow.
    ArchConfiguration config = ArchConfiguration.get();
    boolean resolve = config.resolveMissingDependenciesFromClassPath();
    config.setResolveMissingDependenciesFromClassPath(false);
    try {
      classes = new ClassFileImporter().importPath(production);
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

  /**
   * Lists and dumps go from bytes straight to the planner's records (issue 11): the typed object
   * model costs a thousand classes and its bean deserializers at every start.
   */
  @Test
  void theReadPathDoesNotUseTheTypedObjectModel() {
    noClasses()
        .that()
        .haveNameMatching(
            "io\\.spinclean\\.kube\\.read\\.(LiveReader|DumpParser|DumpReader|DumpFormat"
                + "|ObjectFields|CheckedReads|ObjectTypes|RecordKind|Leaves|PageReader)(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.fabric8.kubernetes.api.model..")
        .because("the read path streams JSON into core records without fabric8's model (issue 11)")
        .check(classes);
  }

  @Test
  void readingNeverImportsApplying() {
    noClasses()
        .that()
        .resideInAPackage("io.spinclean.kube.read..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.spinclean.kube.apply..", "io.spinclean.kube.watch..")
        .because("a plan reads; only apply and the controller write (docs/architecture.md)")
        .check(classes);
  }

  @Test
  void thePlannerTheRenderersAndTheControllerDoNotKnowKubernetes() {
    noClasses()
        .that()
        .resideInAnyPackage("io.spinclean.core..", "io.spinclean.render..", "io.spinclean.watch..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.spinclean.kube..")
        .because(
            "the controller's decisions are tested without an API server; kube.watch wires them to"
                + " one (docs/architecture.md)")
        .check(classes);
  }

  @Test
  void theEmbeddedApiServerServesOnlyTheDemo() {
    classes()
        .that()
        .resideInAPackage("io.spinclean.kube.embedded..")
        .should()
        .onlyHaveDependentClassesThat(
            resideInAPackage("io.spinclean.kube.embedded..")
                .or(
                    DescribedPredicate.describe(
                        "are spinclean demo",
                        c -> c.getName().matches("io\\.spinclean\\.cli\\.DemoCommand(\\$.*)?"))))
        .because("an API server in the process is for `spinclean demo` and the tests only")
        .check(classes);
  }

  @Test
  void thePackagesHaveNoCycles() {
    slices()
        .matching("io.spinclean.(**)")
        .should()
        .beFreeOfCycles()
        .because("each package is a layer of docs/architecture.md; dependencies point one way")
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
