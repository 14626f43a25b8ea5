package dev.cryo.client;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cryo.core.dialect.camp.CampDialect;
import dev.cryo.core.dialect.v1.CryoV1Dialect;

import static org.assertj.core.api.Assertions.assertThat;
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
	void campSessionIdParametersCannotBeSetEither() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoClient.builder(ENDPOINT).queryParameter("x-camp-sid", "1"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoClient.builder(ENDPOINT).queryParameter("x-CAMP-sid", "1"));
	}

	@Test
	void dialectDefaultsToCryoV1() {
		CryoClient client = CryoClient.builder(ENDPOINT).token("t").build();
		assertThat(client.dialect()).isEqualTo(CryoClientDialect.CRYO_V1);
		assertThat(client.dialect().wireDialect()).isSameAs(CryoV1Dialect.INSTANCE);
		assertThat(CryoClient.builder(ENDPOINT).token("t").dialect(CryoClientDialect.CAMP).build().dialect())
			.isEqualTo(CryoClientDialect.CAMP);
	}

	@Test
	void dialectsDescribeTheirUpgrade() {
		assertThat(CryoClientDialect.CRYO_V1.name()).isEqualTo("cryo-v1");
		assertThat(CryoClientDialect.CRYO_V1.sessionIdParameter()).isEqualTo("x-cryo-sid");
		assertThat(CryoClientDialect.CRYO_V1.subprotocol()).isNull();
		assertThat(CryoClientDialect.CRYO_V1.maxPayload()).isEqualTo(16 * 1024 * 1024);
		assertThat(CryoClientDialect.CAMP.name()).isEqualTo("camp");
		assertThat(CryoClientDialect.CAMP.wireDialect()).isSameAs(CampDialect.INSTANCE);
		assertThat(CryoClientDialect.CAMP.sessionIdParameter()).isEqualTo("x-camp-sid");
		assertThat(CryoClientDialect.CAMP.subprotocol()).isEqualTo("camp");
		assertThat(CryoClientDialect.CAMP.maxPayload()).isEqualTo(1024 * 1024);
	}

	@Test
	void sessionIdParameterMustBeOneOfTheDialects() {
		CryoClientDialect reference = CryoClientDialect.CAMP.withSessionIdParameter("x-CAMP-sid");
		assertThat(reference.sessionIdParameter()).isEqualTo("x-CAMP-sid");
		assertThat(reference.subprotocol()).isEqualTo("camp");
		assertThat(reference).isNotEqualTo(CryoClientDialect.CAMP)
			.isEqualTo(CryoClientDialect.CAMP.withSessionIdParameter("x-CAMP-sid"));
		assertThat(reference.withSessionIdParameter("x-camp-sid")).isEqualTo(CryoClientDialect.CAMP);
		assertThat(CryoClientDialect.CAMP.withSessionIdParameter("x-camp-sid")).isSameAs(CryoClientDialect.CAMP);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoClientDialect.CAMP.withSessionIdParameter("x-cryo-sid"))
			.withMessageContaining("x-camp-sid or x-CAMP-sid");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoClientDialect.CRYO_V1.withSessionIdParameter("x-CAMP-sid"));
	}

	@Test
	void timeoutsMustMakeSense() {
		assertThatIllegalArgumentException().isThrownBy(() -> CryoClient.builder(ENDPOINT).connectTimeout(Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoClient.builder(ENDPOINT).pingTimeout(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoClient.builder(ENDPOINT).firstFrameDelay(Duration.ofMillis(-1)));
	}

}
