package dev.cryo.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules of cryo-core, in the style of Spring Boot's own build
 * ({@code ArchitectureRules}): packages form no cycle, the module needs nothing beyond the JDK, and
 * the engine knows dialects only through their SPI.
 */
class CoreArchitectureTests {

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.cryo.core");

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("dev.cryo.(**)").should().beFreeOfCycles().check(CORE);
	}

	@Test
	void coreDependsOnTheJdkOnly() {
		// JSpecify's annotations are an optional compile-time dependency, never needed at run time.
		classes().should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.cryo.core..", "java..", "javax..", "org.jspecify.annotations..")
			.check(CORE);
	}

	@Test
	void theEngineNeverDependsOnAConcreteDialect() {
		// Every dialect lives in a package of its own below dev.cryo.core.dialect; only its own
		// package (and nothing of the engine, the SPI, the codec SPI or the frame model) may see it.
		noClasses().that()
			.resideInAnyPackage("dev.cryo.core", "dev.cryo.core.frame..", "dev.cryo.core.codec..",
					"dev.cryo.core.dialect", "dev.cryo.core.engine..", "dev.cryo.core.transaction..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cryo.core.dialect.*..")
			.check(CORE);
	}

}
