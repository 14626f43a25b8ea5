package dev.cryo.client;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules of cryo-client, in the style of Spring Boot's own build: packages form no
 * cycle, and the client's support classes never reach back into the public API that is built on them.
 */
class ClientArchitectureTests {

	private static final JavaClasses CLIENT = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.cryo.client");

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("dev.cryo.(**)").should().beFreeOfCycles().check(CLIENT);
	}

	@Test
	void supportDoesNotDependOnThePublicApi() {
		noClasses().that()
			.resideInAPackage("dev.cryo.client.support..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cryo.client")
			.check(CLIENT);
	}

	@Test
	void theClientDoesNotDependOnTheServer() {
		noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.cryo.server..", "org.springframework..")
			.check(CLIENT);
	}

}
