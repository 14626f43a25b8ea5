package dev.cryo.boot;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rule of the auto-configuration module, as in Spring Boot's own build: its
 * packages form no cycle.
 */
class BootArchitectureTests {

	private static final JavaClasses BOOT = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.cryo.boot");

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("dev.cryo.(**)").should().beFreeOfCycles().check(BOOT);
	}

}
