package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP upgrade of cryo-v1.md §2.3 and the refusal of §2.4, against the auto-configured
 * endpoint on a real Tomcat.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = CryoTestApplication.ACK_TIMEOUT_300MS)
@Timeout(30)
class CryoHandshakeEndToEndTests {

	private static final String NO_AUTH = "No auth data supplied.";

	private static final String WRONG_TYPE = "Incorrect type of auth data supplied.";

	private static final String INVALID_TOKEN = "Invalid bearer token in authorization query.";

	private static final String NO_SID = "No SID supplied.";

	private static final String INVALID_SID = "Invalid SID supplied.";

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	// ---- §2.4: the shape of a refusal

	@Test
	void refusalIsA401WithTheReferenceHtmlBodyAndClosesTheConnection() throws IOException {
		Response response = upgrade("x-cryo-sid=1");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.headers().get("content-type")).isNotNull()
			.satisfies((type) -> assertThat(type.replace(" ", "")).isEqualToIgnoringCase("text/html;charset=utf-8"));
		assertThat(response.headers()).containsEntry("connection", "close");
		assertThat(response.headers().get("content-length"))
			.isEqualTo(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
		assertThat(response.body()).matches(
				"<html><body><h1>401 Unauthorized</h1><p>Upgrade request for \\S+ was refused\\. No auth data supplied\\.</p></body></html>");
	}

	// ---- §2.3 steps 1-3: the authorization value

	@ParameterizedTest(name = "[{index}] query \"{0}\"")
	@ValueSource(strings = { "x-cryo-sid=1", "authorization=&x-cryo-sid=1", "authorization&x-cryo-sid=1",
			"Authorization=Bearer+secret&x-cryo-sid=1" })
	void missingOrEmptyAuthorizationIsRefusedWithNoAuthData(String query) throws IOException {
		assertRefused(upgrade(query), NO_AUTH);
	}

	@ParameterizedTest(name = "[{index}] authorization=\"{0}\"")
	@ValueSource(strings = { "Basic+x", "bearer+secret", "BEARER+secret", "BearerXsecret", "Bearer", "Bearer%09secret",
			"+Bearer+secret" })
	void authorizationNotStartingWithBearerSpaceIsRefusedWithIncorrectType(String value) throws IOException {
		assertRefused(upgrade("authorization=" + value + "&x-cryo-sid=1"), WRONG_TYPE);
	}

	@ParameterizedTest(name = "[{index}] authorization=\"{0}\"")
	@ValueSource(strings = { "Bearer+", "Bearer%20", "Bearer+wrong", "Bearer+secret+", "Bearer++secret", "Bearer+Secret",
			"Bearer+secre" })
	void emptyOrWrongTokenIsRefusedWithInvalidBearerToken(String value) throws IOException {
		assertRefused(upgrade("authorization=" + value + "&x-cryo-sid=" + sid()), INVALID_TOKEN);
	}

	@Test
	void validatorThatThrowsRefusesTheUpgrade() throws IOException {
		assertRefused(upgrade("authorization=Bearer+throw-it&x-cryo-sid=" + sid()), INVALID_TOKEN);
	}

	@Test
	void plusInTheQueryIsDecodedAsASpace() throws IOException {
		assertThat(upgrade("authorization=Bearer+secret&x-cryo-sid=" + sid()).status()).isEqualTo(101);
	}

	@Test
	void percentEncodedSpaceIsDecoded() throws IOException {
		assertThat(upgrade("authorization=Bearer%20secret&x-cryo-sid=" + sid()).status()).isEqualTo(101);
	}

	@Test
	void percentEncodedPlusStaysAPlus() throws IOException {
		// "Bearer%2Bsecret" decodes to "Bearer+secret", which lacks the space after Bearer.
		assertRefused(upgrade("authorization=Bearer%2Bsecret&x-cryo-sid=" + sid()), WRONG_TYPE);
	}

	@Test
	void firstOccurrenceOfARepeatedParameterWins() throws IOException {
		assertThat(upgrade("authorization=Bearer+secret&authorization=Bearer+wrong&x-cryo-sid=" + sid()).status())
			.isEqualTo(101);
		assertRefused(upgrade("authorization=Bearer+wrong&authorization=Bearer+secret&x-cryo-sid=" + sid()),
				INVALID_TOKEN);
	}

	@Test
	void authorizationHeaderIsUsedWhenTheQueryParameterIsAbsent() throws IOException {
		Response response = RawUpgradeRequest.send(this.port, CryoTestApplication.PATH + "?x-cryo-sid=" + sid(),
				Map.of("Authorization", "Bearer secret"));
		assertThat(response.status()).isEqualTo(101);
	}

	@Test
	void authorizationHeaderWithAWrongTokenIsRefused() throws IOException {
		Response response = RawUpgradeRequest.send(this.port, CryoTestApplication.PATH + "?x-cryo-sid=" + sid(),
				Map.of("Authorization", "Bearer wrong"));
		assertRefused(response, INVALID_TOKEN);
	}

	@Test
	void queryParameterTakesPrecedenceOverTheHeader() throws IOException {
		Response response = RawUpgradeRequest.send(this.port,
				CryoTestApplication.PATH + "?authorization=Bearer+wrong&x-cryo-sid=" + sid(),
				Map.of("Authorization", "Bearer secret"));
		assertRefused(response, INVALID_TOKEN);
	}

	// ---- §2.3 steps 4-5: the session id

	@ParameterizedTest(name = "[{index}] query \"{0}\"")
	@ValueSource(strings = { "authorization=Bearer+secret", "authorization=Bearer+secret&x-cryo-sid=",
			"authorization=Bearer+secret&x-cryo-sid", "authorization=Bearer+secret&X-Cryo-Sid=1" })
	void missingOrEmptySidIsRefusedWithNoSid(String query) throws IOException {
		assertRefused(upgrade(query), NO_SID);
	}

	@ParameterizedTest(name = "[{index}] x-cryo-sid=\"{0}\"")
	@ValueSource(strings = { "abc", "-1", "%2B1", "1e3", "1.5", "0x10", "0o7", "0b1", "18446744073709551616",
			"99999999999999999999", "123456789012345678901", "3f2504e0-4f89-11d3-9a0c-0305e82c330", "3f2504e04f8911d39a0c0305e82c3301", "1+2", "+" })
	void invalidSidIsRefusedWithInvalidSid(String sid) throws IOException {
		// A whole UUID is a legacy client (legacy-v0.md §10.1 rule 1); forms short of one stay v1 and are refused.
		assertRefused(upgrade("authorization=Bearer+secret&x-cryo-sid=" + sid), INVALID_SID);
	}

	@Test
	void sidIsCheckedBeforeTheToken() throws IOException {
		assertRefused(upgrade("authorization=Bearer+wrong"), NO_SID);
		assertRefused(upgrade("authorization=Bearer+wrong&x-cryo-sid=abc"), INVALID_SID);
	}

	@ParameterizedTest(name = "[{index}] x-cryo-sid=\"{0}\" is session {1}")
	@CsvSource({ "0, 0", "1, 1", "9223372036854775808, 9223372036854775808",
			"18446744073709551615, 18446744073709551615", "00000000000000000042, 42", "007, 7", "%2042%20, 42",
			"++43++, 43", "%0944%0A, 44" })
	void sidEdgeValuesAreAcceptedAndCarriedByEveryServerFrame(String rawSid, String expected) {
		SessionId sid = SessionId.of(Long.parseUnsignedLong(expected));
		URI uri = URI.create("ws://localhost:" + this.port + CryoTestApplication.PATH
				+ "?authorization=Bearer+secret&x-cryo-sid=" + rawSid);
		try (RawCryoClient client = RawCryoClient.connect(uri, sid)) {
			EndpointInfoFrame info = client.handshake();
			assertThat(info.sid().toString()).isEqualTo(expected);
			assertThat(this.server.session(sid)).hasValueSatisfying(
					(session) -> assertThat(session.idString()).isEqualTo(expected));
			client.send(Utf8DataFrame.of(sid, 1, "hello"));
			assertThat(client.next().sid()).isEqualTo(sid);
		}
		CryoClients.awaitGone(this.server, sid);
	}

	@Test
	void acceptedUpgradeSwitchesProtocolsWithoutSelectingASubprotocol() throws IOException {
		// Offering camp would make it a CAMP connection (camp.md §1); see CampNegotiationEndToEndTests.
		Response response = RawUpgradeRequest.send(this.port,
				CryoTestApplication.PATH + "?authorization=Bearer+secret&x-cryo-sid=" + sid(),
				Map.of("Sec-WebSocket-Protocol", "cryo, foo"));
		assertThat(response.status()).isEqualTo(101);
		assertThat(response.headers()).doesNotContainKey("sec-websocket-protocol");
	}

	@Test
	void refusedUpgradeCreatesNoSession() throws IOException {
		SessionId sid = RawFrames.newSid();
		assertRefused(upgrade("authorization=Bearer+wrong&x-cryo-sid=" + sid.toString()), INVALID_TOKEN);
		assertThat(this.server.session(sid)).isEmpty();
		// The sid was not reserved either: a proper upgrade for it succeeds.
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.handshake();
		}
	}

	@Test
	void otherPathsAreNotTheCryoEndpoint() throws IOException {
		Response response = RawUpgradeRequest.send(this.port,
				"/not-cryo?authorization=Bearer+secret&x-cryo-sid=" + sid(), Map.of());
		assertThat(response.status()).isNotIn(101, 401);
	}

	@Test
	void browserFromAForeignOriginIsRefusedBeforeItsTokenIsLookedAt() throws IOException {
		Response response = RawUpgradeRequest.send(this.port,
				CryoTestApplication.PATH + "?authorization=Bearer+secret&x-cryo-sid=" + sid(),
				Map.of("Origin", "https://evil.example"));
		assertThat(response.status()).isEqualTo(403);
	}

	@Test
	void browserFromTheSameOriginIsAccepted() throws IOException {
		Response response = RawUpgradeRequest.send(this.port,
				CryoTestApplication.PATH + "?authorization=Bearer+secret&x-cryo-sid=" + sid(),
				Map.of("Origin", "http://localhost:" + this.port));
		assertThat(response.status()).isEqualTo(101);
	}

	@Test
	void plainHttpRequestToTheEndpointIsRejectedByTheWebSocketStack() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + CryoTestApplication.PATH
					+ "?authorization=Bearer+secret&x-cryo-sid=" + sid())).build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
	}

	private Response upgrade(String query) throws IOException {
		return RawUpgradeRequest.send(this.port, CryoTestApplication.PATH + "?" + query, Map.of());
	}

	private static void assertRefused(Response response, String message) {
		assertThat(response.status()).as("status of a refusal with \"%s\"", message).isEqualTo(401);
		assertThat(response.body()).endsWith("was refused. " + message + "</p></body></html>");
	}

	private static String sid() {
		return RawFrames.newSid().toString();
	}

}
