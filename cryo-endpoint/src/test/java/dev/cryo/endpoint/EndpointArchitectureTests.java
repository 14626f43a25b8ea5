package dev.cryo.endpoint;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules of cryo-endpoint: no package cycle, and dependencies that point one way
 * only, {@code wire → support}, {@code plugin → support → API ({@code dev.cryo.endpoint}) →
 * dev.cryo.server}; the API never sees the engine, the engine never sees a wire or the bundled
 * plugins, and only the wires use the server's upgrade decision (never its web layer).
 */
class EndpointArchitectureTests {

	private static final JavaClasses ENDPOINT = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.cryo.endpoint");

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("dev.cryo.endpoint.(**)").should().beFreeOfCycles().check(ENDPOINT);
	}

	@Test
	void theApiDependsOnNothingBelowIt() {
		noClasses().that()
			.resideInAPackage("dev.cryo.endpoint")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cryo.endpoint.*..")
			.check(ENDPOINT);
	}

	@Test
	void theEngineKnowsNeitherTheWiresNorTheBundledPlugins() {
		noClasses().that()
			.resideInAPackage("dev.cryo.endpoint.support..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.cryo.endpoint.wire..", "dev.cryo.endpoint.plugin..")
			.check(ENDPOINT);
	}

	@Test
	void theServersImplementationIsNotUsed() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.cryo.server.web..")
			.check(ENDPOINT);
	}

	@Test
	void onlyTheWiresUseTheServersUpgradeDecision() {
		// The yoctopus wire answers its refusals with the bodies Cryo upgrades get (UpgradeGate).
		noClasses().that()
			.resideOutsideOfPackage("dev.cryo.endpoint.wire..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.cryo.server.support..")
			.check(ENDPOINT);
	}

}
