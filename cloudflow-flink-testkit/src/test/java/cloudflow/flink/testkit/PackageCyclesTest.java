package cloudflow.flink.testkit;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The packages of this module depend on each other one way only. */
class PackageCyclesTest {

  @Test
  void packagesHaveNoCycles() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("cloudflow.flink.testkit");
    slices().matching("cloudflow.flink.testkit.(**)").should().beFreeOfCycles().check(classes);
  }
}
