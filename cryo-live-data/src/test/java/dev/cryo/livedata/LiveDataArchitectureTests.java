package dev.cryo.livedata;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The API is what handlers and entities see: it knows neither its implementation nor Hibernate,
 * so that an entity annotated {@link LiveData @LiveData} compiles against the API alone.
 */
class LiveDataArchitectureTests {

	private static final JavaClasses LIVE_DATA = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.cryo.livedata");

	@Test
	void theApiDependsNeitherOnItsImplementationNorOnHibernate() {
		noClasses().that()
			.resideInAPackage("dev.cryo.livedata")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.cryo.livedata.support..", "org.hibernate..", "jakarta.persistence..")
			.check(LIVE_DATA);
	}

}
