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
	void uuidSidIsRefusedByTheV1Connector() {
		SessionId uuid = SessionId.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CryoConnector.upgradeUri(URI.create("ws://localhost/cryo"), "t", uuid, Map.of()))
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
