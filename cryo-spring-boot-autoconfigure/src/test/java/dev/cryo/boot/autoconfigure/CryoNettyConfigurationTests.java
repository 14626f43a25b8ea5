package dev.cryo.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.cryo.server.TokenValidator;
import dev.cryo.server.netty.NettyCryoServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the conditions of {@link CryoNettyConfiguration}: {@code cryo.transport=netty}
 * replaces the servlet endpoint by a Netty server on {@code cryo.port}, which it requires, and
 * only with the module on the class path; without the property nothing changes.
 */
class CryoNettyConfigurationTests {

	private static final String HANDLER_MAPPING_NAME = "cryoWebSocketHandlerMapping";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class))
		.withBean(TokenValidator.class, () -> (token) -> "secret".equals(token));

	@Test
	void theServletTransportIsTheDefault() {
		this.contextRunner.withPropertyValues("cryo.port=0")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(NettyCryoServer.class)
				.hasBean(HANDLER_MAPPING_NAME)
				.hasSingleBean(CryoConnector.class));
	}

	@Test
	void theServletTransportCanBeNamed() {
		this.contextRunner.withPropertyValues("cryo.transport=servlet")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(NettyCryoServer.class)
				.hasBean(HANDLER_MAPPING_NAME));
	}

	@Test
	void nettyServesTheEndpointOnItsPortInsteadOfTheServletStack() {
		this.contextRunner.withPropertyValues("cryo.transport=netty", "cryo.port=0").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(NettyCryoServer.class)
				.doesNotHaveBean(HANDLER_MAPPING_NAME)
				.doesNotHaveBean(CryoConnector.class);
			NettyCryoServer server = context.getBean(NettyCryoServer.class);
			assertThat(server.isRunning()).isTrue();
			assertThat(server.port()).isPositive();
			assertThat(context.getEnvironment().getProperty("local.cryo.port", Integer.class))
				.isEqualTo(server.port());
		});
	}

	@Test
	void nettyWithoutAPortFailsWithAClearMessage() {
		this.contextRunner.withPropertyValues("cryo.transport=netty")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cryo.transport=netty needs cryo.port"));
	}

	@Test
	void nettyWithoutTheModuleFailsWithAClearMessage() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(NettyCryoServer.class))
			.withPropertyValues("cryo.transport=netty", "cryo.port=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cryo-server-netty"));
	}

}
