package dev.cryo.boot.autoconfigure.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.server.CryoServer;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.CryoServerLifecycle;
import dev.cryo.server.support.DefaultCryoServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CryoHealthContributorAutoConfiguration} and the states of
 * {@link CryoHealthIndicator}.
 */
class CryoHealthContributorAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(CryoAutoConfiguration.class, CryoHealthContributorAutoConfiguration.class))
		.withBean(TokenValidator.class, TokenValidator::denyAll);

	@Test
	void contributesTheCryoHealthIndicator() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(CryoHealthIndicator.class)
			.hasBean("cryoHealthIndicator"));
	}

	@Test
	void upWhileRunningThenDownWhenShuttingDownAndWhenStopped() {
		this.contextRunner.withPropertyValues("cryo.path=/live", "local.server.port=8181").run((context) -> {
			CryoServer server = context.getBean(CryoServer.class);
			HealthIndicator indicator = context.getBean(CryoHealthIndicator.class);
			Health up = indicator.health();
			assertThat(up.getStatus()).isEqualTo(Status.UP);
			assertThat(up.getDetails()).containsEntry("sessions", 0)
				.containsEntry("path", "/live")
				.containsEntry("port", 8181)
				.doesNotContainKey("reason");
			// Shutdown in progress: the registry refuses new sessions before the server stops.
			((DefaultCryoServer) server).sessionRegistry().stopAccepting();
			Health shuttingDown = indicator.health();
			assertThat(shuttingDown.getStatus()).isEqualTo(Status.DOWN);
			assertThat(shuttingDown.getDetails()).containsKey("reason").containsEntry("path", "/live");
			context.getBean(CryoServerLifecycle.class).stop();
			Health stopped = indicator.health();
			assertThat(stopped.getStatus()).isEqualTo(Status.DOWN);
			assertThat(stopped.getDetails()).containsEntry("reason", "Cryo server is not running");
			context.getBean(CryoServerLifecycle.class).start();
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void dedicatedPortIsTheOneReported() {
		this.contextRunner.withPropertyValues("cryo.port=0", "local.cryo.port=9443", "local.server.port=8080")
			.run((context) -> assertThat(context.getBean(CryoHealthIndicator.class).health().getDetails())
				.containsEntry("port", 9443));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.cryo.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CryoHealthIndicator.class));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(CryoServer.class)
				.doesNotHaveBean(CryoHealthIndicator.class));
	}

	@Test
	void backsOffWhenCryoIsDisabled() {
		this.contextRunner.withPropertyValues("cryo.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CryoHealthIndicator.class));
	}

	@Test
	void userIndicatorWins() {
		this.contextRunner.withBean("cryoHealthIndicator", HealthIndicator.class, () -> () -> Health.unknown().build())
			.run((context) -> assertThat(context).doesNotHaveBean(CryoHealthIndicator.class)
				.hasBean("cryoHealthIndicator"));
	}

}
