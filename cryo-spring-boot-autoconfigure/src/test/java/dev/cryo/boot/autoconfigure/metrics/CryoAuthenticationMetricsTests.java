package dev.cryo.boot.autoconfigure.metrics;

import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.security.CryoSecurityAutoConfiguration;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.TokenValidator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters of authentication: the refusals it causes and the gauges of the pool that runs the
 * TokenValidator or Spring Security's authentication.
 */
class CryoAuthenticationMetricsTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class, CryoMetricsAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class));

	@Test
	void timeoutsAndAFullPoolAreRejectionReasonsAndThePoolHasGauges() {
		this.contextRunner.withBean(TokenValidator.class, TokenValidator::denyAll).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String reason : new String[] { "authentication-timeout", "authentication-overloaded" }) {
				assertThat(registry.get("cryo.upgrades.rejected").tag("reason", reason).counter().count()).isZero();
			}
			assertThat(registry.get("cryo.authentication.threads.busy").gauge().value()).isZero();
			assertThat(registry.get("cryo.authentication.queued").gauge().value()).isZero();
		});
	}

	@Test
	void springSecuritysPoolHasTheSameGauges() {
		JwtDecoder decoder = (token) -> {
			throw new BadJwtException("Bad JWT.");
		};
		this.contextRunner.withConfiguration(AutoConfigurations.of(CryoSecurityAutoConfiguration.class))
			.withBean(JwtDecoder.class, () -> decoder)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("cryo.authentication.threads.busy").gauge().value()).isZero();
				assertThat(registry.get("cryo.authentication.queued").gauge().value()).isZero();
			});
	}

	@Test
	void anApplicationsAuthenticatorHasNoPoolGauges() {
		CryoAuthenticator own = (handshake) -> CompletableFuture.completedFuture(CryoAuthentication.refused("no"));
		this.contextRunner.withBean(CryoAuthenticator.class, () -> own).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("cryo.authentication.threads.busy").gauge()).isNull();
			assertThat(registry.get("cryo.upgrades.rejected").tag("reason", "authentication-timeout").counter())
				.isNotNull();
		});
	}

}
