package dev.cryo.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpHeaders;

import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.HandshakeDetails;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.PooledAuthenticator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which {@link CryoAuthenticator} the auto-configuration uses, and the
 * {@code cryo.authentication} properties.
 */
class CryoAuthenticationAutoConfigurationTests {

	private static final HandshakeDetails SECRET = new HandshakeDetails("secret", Map.of(), new HttpHeaders(), null,
			"cryo-v1", "/cryo");

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class));

	@Test
	void aTokenValidatorIsAdaptedToAnAuthenticatorOfAnonymousSessions() {
		this.contextRunner.withBean(TokenValidator.class, () -> "secret"::equals).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(CryoAuthenticator.class);
			CryoAuthenticator authenticator = context.getBean(CryoAuthenticator.class);
			assertThat(authenticator).isInstanceOf(PooledAuthenticator.class);
			assertThat(authenticator.authenticate(SECRET).toCompletableFuture().get())
				.isEqualTo(CryoAuthentication.authenticated(CryoPrincipal.ANONYMOUS));
		});
	}

	@Test
	void anApplicationAuthenticatorWinsOverItsTokenValidator() {
		CryoAuthenticator own = (handshake) -> CompletableFuture
			.completedFuture(CryoAuthentication.authenticated(new CryoPrincipal("own")));
		this.contextRunner.withBean(TokenValidator.class, () -> "secret"::equals)
			.withBean(CryoAuthenticator.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(CryoAuthenticator.class)
				.isSameAs(own));
	}

	@Test
	void withNeitherEveryUpgradeIsRefused() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CryoAuthenticator.class).authenticate(SECRET).toCompletableFuture().get())
				.isInstanceOf(CryoAuthentication.Refused.class);
		});
	}

	@Test
	void authenticationPropertiesBindWithTheirDefaults() {
		this.contextRunner.run((context) -> {
			CryoProperties.Authentication authentication = context.getBean(CryoProperties.class).getAuthentication();
			assertThat(authentication.getTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(authentication.getMaxThreads()).isEqualTo(16);
			assertThat(authentication.getQueueCapacity()).isEqualTo(256);
		});
		this.contextRunner
			.withPropertyValues("cryo.authentication.timeout=750ms", "cryo.authentication.max-threads=2",
					"cryo.authentication.queue-capacity=0")
			.run((context) -> {
				CryoProperties.Authentication authentication = context.getBean(CryoProperties.class)
					.getAuthentication();
				assertThat(authentication.getTimeout()).isEqualTo(Duration.ofMillis(750));
				assertThat(authentication.getMaxThreads()).isEqualTo(2);
				assertThat(authentication.getQueueCapacity()).isZero();
			});
	}

	@ParameterizedTest(name = "{0} fails with \"{1}\"")
	@CsvSource(delimiter = '|', textBlock = """
			cryo.authentication.timeout=0s          | cryo.authentication.timeout must be positive
			cryo.authentication.timeout=-1s         | cryo.authentication.timeout must be positive
			cryo.authentication.timeout=21s         | cryo.authentication.timeout must be at most 20s
			cryo.authentication.max-threads=0       | cryo.authentication.max-threads must be at least 1
			cryo.authentication.queue-capacity=-1   | cryo.authentication.queue-capacity must not be negative
			""")
	void invalidValueFailsStartupWithAMessageNamingTheProperty(String property, String message) {
		this.contextRunner.withPropertyValues(property)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessage(message));
	}

}
