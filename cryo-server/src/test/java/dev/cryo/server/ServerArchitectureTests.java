package dev.cryo.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules of cryo-server, in the style of Spring Boot's own build
 * ({@code ArchitectureRules}): no package cycle, and dependencies that point one way only,
 * {@code web → support → {event, observer, handler, cluster} → API ({@code dev.cryo.server}) → cryo-core}.
 */
class ServerArchitectureTests {

	private static final JavaClasses SERVER = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.cryo.server");

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("dev.cryo.(**)").should().beFreeOfCycles().check(SERVER);
	}

	@Test
	void theApiDependsOnNothingBelowIt() {
		noClasses().that()
			.resideInAPackage("dev.cryo.server")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cryo.server.*..")
			.check(SERVER);
	}

	@Test
	void onlyTheWebLayerKnowsTheWebLayer() {
		noClasses().that()
			.resideOutsideOfPackage("dev.cryo.server.web..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cryo.server.web..")
			.check(SERVER);
	}

	@Test
	void theImplementationIsReachedOnlyFromTheWebLayer() {
		noClasses().that()
			.resideOutsideOfPackages("dev.cryo.server.support..", "dev.cryo.server.web..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cryo.server.support..")
			.check(SERVER);
	}

}
