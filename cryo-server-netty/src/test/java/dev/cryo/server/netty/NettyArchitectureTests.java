package dev.cryo.server.netty;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import dev.cryo.server.web.OriginCheck;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The architecture rules of cryo-server-netty: the transport reaches the servlet stack only
 * through the shared Origin rule, and shows one public type, the server.
 */
class NettyArchitectureTests {

	private static final JavaClasses NETTY = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.cryo.server.netty");

	@Test
	void theTransportDoesNotDependOnTheServletStack() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "jakarta.websocket..", "org.springframework.web.socket..")
			.check(NETTY);
	}

	@Test
	void ofTheServletTransportOnlyTheSharedRulesAreUsed() {
		noClasses().should()
			.dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.cryo.server.web..")
				.and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(OriginCheck.class))))
			.check(NETTY);
	}

	@Test
	void onlyTheServerIsPublic() {
		classes().that()
			.arePublic()
			.should()
			.haveNameMatching("dev\\.cryo\\.server\\.netty\\.NettyCryoServer(\\$.*)?")
			.check(NETTY);
	}

}
