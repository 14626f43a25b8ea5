package dev.cryo.sample;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * cryo-v1.md §2.3 steps 3 and 6 with the sample app configured to accept {@code alpha} and
 * {@code beta}: the configured tokens work, the development token is then refused.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sample.tokens=alpha,beta")
@DisplayName("Cryo v1 §2.3 — configured tokens (sample.tokens=alpha,beta)")
class ConfiguredTokensConformanceTests extends ConformanceSupport {

	@ParameterizedTest(name = "§2.3 step 6: token \"{0}\" is accepted")
	@ValueSource(strings = { "alpha", "beta" })
	@DisplayName("§2.3 step 6: each configured token opens a session")
	void configuredTokensAreAccepted(String token) {
		long sid = randomSid();
		try (CryoTestClient client = CryoTestClient.connect(this.port,
				"authorization=Bearer+" + token + "&" + sidParam(sid), sid)) {
			client.handshake();
			client.assertEchoes("hello " + token);
		}
	}

	@Test
	@DisplayName("§2.3 step 6: with tokens configured, dev-token is refused with 401 Invalid bearer token in authorization query.")
	void devTokenIsRefused() {
		assertRefused(upgrade("authorization=Bearer+dev-token&" + sidParam(randomSid())), INVALID_TOKEN);
	}

	@ParameterizedTest(name = "§2.3 step 6: token \"{0}\" is refused")
	@ValueSource(strings = { "alpha%2Cbeta", "ALPHA", "alph", "alphaa", "+alpha", "alpha+", "gamma" })
	@DisplayName("§2.3 step 6: tokens are compared exactly (no list syntax, no case folding, no trimming)")
	void otherTokensAreRefused(String token) {
		assertRefused(upgrade("authorization=Bearer+" + token + "&" + sidParam(randomSid())), INVALID_TOKEN);
	}

	@Test
	@DisplayName("§2.3 step 3: an empty token stays refused with configured tokens")
	void emptyTokenIsRefused() {
		assertRefused(upgrade("authorization=Bearer+&" + sidParam(randomSid())), INVALID_TOKEN);
	}

}
