package dev.cryo.client;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class CryoClientBuilderTests {

	private static final URI ENDPOINT = URI.create("ws://localhost:8080/cryo");

	@Test
	void endpointMustBeAWebSocketUriWithAHost() {
		assertThatIllegalArgumentException().isThrownBy(() -> CryoClient.builder(URI.create("http://localhost/cryo")))
			.withMessageContaining("ws: or wss:");
		assertThatIllegalArgumentException().isThrownBy(() -> CryoClient.builder(URI.create("ws:/cryo")))
			.withMessageContaining("host");
	}

	@Test
	void tokenIsRequired() {
		assertThatNullPointerException().isThrownBy(() -> CryoClient.builder(ENDPOINT).build())
			.withMessageContaining("token");
	}

	@Test
	void reservedQueryParametersCannotBeSet() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoClient.builder(ENDPOINT).queryParameter("authorization", "Bearer x"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoClient.builder(ENDPOINT).queryParameter("x-cryo-sid", "1"));
	}

	@Test
	void timeoutsMustMakeSense() {
		assertThatIllegalArgumentException().isThrownBy(() -> CryoClient.builder(ENDPOINT).connectTimeout(Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoClient.builder(ENDPOINT).pingTimeout(Duration.ofSeconds(-1)));
	}

}
