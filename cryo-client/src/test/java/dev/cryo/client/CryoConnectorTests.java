package dev.cryo.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CryoConnectorTests {

	@Test
	void upgradeUriCarriesTheFormEncodedTokenAndTheUnsignedSid() {
		URI uri = CryoConnector.upgradeUri(URI.create("ws://localhost:8080/cryo"), "a b+c/d=", SessionId.of(-1), Map.of());
		assertThat(uri.getRawQuery())
			.isEqualTo("authorization=Bearer+a+b%2Bc%2Fd%3D&x-cryo-sid=18446744073709551615");
		assertThat(uri.getScheme()).isEqualTo("ws");
		assertThat(uri.getRawPath()).isEqualTo("/cryo");
		assertThat(uri.getPort()).isEqualTo(8080);
	}

	@Test
	void upgradeUriKeepsTheEndpointsQueryAndAddsParametersFirst() {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("room", "blue & green");
		parameters.put("v", "1");
		URI uri = CryoConnector.upgradeUri(URI.create("wss://example.com/a%20b/cryo?tenant=7"), "t", SessionId.of(42), parameters);
		assertThat(uri.toString()).isEqualTo(
				"wss://example.com/a%20b/cryo?tenant=7&room=blue+%26+green&v=1&authorization=Bearer+t&x-cryo-sid=42");
	}

	@Test
	void reservedParametersAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> CryoConnector
			.upgradeUri(URI.create("ws://localhost/cryo"), "t", SessionId.of(1), Map.of("x-cryo-sid", "2")));
	}

	@Test
	void campUpgradeUriCarriesTheSidInTheCampParameter() {
		URI uri = CryoConnector.upgradeUri(URI.create("ws://localhost:8080/cryo"), "t", SessionId.of(-2), Map.of(),
				CryoClientDialect.CAMP);
		assertThat(uri.getRawQuery()).isEqualTo("authorization=Bearer+t&x-camp-sid=18446744073709551614");
		URI reference = CryoConnector.upgradeUri(URI.create("ws://localhost:8080/cryo"), "t", SessionId.of(7),
				Map.of(), CryoClientDialect.CAMP.withSessionIdParameter("x-CAMP-sid"));
		assertThat(reference.getRawQuery()).isEqualTo("authorization=Bearer+t&x-CAMP-sid=7");
	}

	@Test
	void sessionIdParametersOfEveryDialectAreReservedInEveryDialect() {
		// A server picks the dialect by them (camp.md §1): a v1 client sending x-camp-sid would be served CAMP.
		for (CryoClientDialect dialect : new CryoClientDialect[] { CryoClientDialect.CRYO_V1, CryoClientDialect.CAMP }) {
			for (String name : new String[] { "authorization", "x-cryo-sid", "x-camp-sid", "x-CAMP-sid" }) {
				assertThatIllegalArgumentException()
					.isThrownBy(() -> CryoConnector.upgradeUri(URI.create("ws://localhost/cryo"), "t", SessionId.of(1),
							Map.of(name, "2"), dialect))
					.withMessageContaining(name);
			}
		}
		assertThat(CryoConnector.upgradeUri(URI.create("ws://localhost/cryo"), "t", SessionId.of(1),
				Map.of("X-Camp-Sid", "2"), CryoClientDialect.CAMP).getRawQuery())
			.isEqualTo("X-Camp-Sid=2&authorization=Bearer+t&x-camp-sid=1");
	}

	@Test
	void uuidSidIsRefusedByTheV1Connector() {
		SessionId uuid = SessionId.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoConnector.upgradeUri(URI.create("ws://localhost/cryo"), "t", uuid, Map.of()))
			.withMessageContaining("numeric session ids only");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoConnector.upgradeUri(URI.create("ws://localhost/cryo"), "t", uuid, Map.of(),
					CryoClientDialect.CAMP))
			.withMessageContaining("numeric session ids only");
	}

	@Test
	void shownEndpointNeverCarriesTheQuery() {
		URI shown = CryoConnector.withoutQuery(URI.create("ws://localhost:1/cryo?authorization=Bearer+secret#x"));
		assertThat(shown.toString()).isEqualTo("ws://localhost:1/cryo");
	}

	@Test
	void serverMessageIsTakenFromTheRefusalBody() {
		String body = "<html><body><h1>401 Unauthorized</h1><p>Upgrade request for ::ffff:127.0.0.1:1 was refused. "
				+ "Invalid SID supplied.</p></body></html>";
		assertThat(CryoConnector.serverMessage(body)).isEqualTo("Invalid SID supplied.");
		assertThat(CryoConnector.serverMessage(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
			.isEqualTo("Invalid SID supplied.");
		assertThat(CryoConnector.serverMessage("<p>Go away</p>")).isEqualTo("Go away");
		assertThat(CryoConnector.serverMessage(null)).isEmpty();
		assertThat(CryoConnector.serverMessage("x".repeat(500))).hasSize(201);
	}

}
