package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a CAMP client is recognised at the upgrade and refused (camp.md §1 [PROJECT], cryo-v1.md
 * §2.3–§2.5), on the endpoint that serves Cryo v1 as well.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(30)
class CampNegotiationEndToEndTests {

	private static final String NO_AUTH = "No auth data supplied.";

	private static final String INVALID_TOKEN = "Invalid bearer token in authorization query.";

	private static final String NO_SID = "No SID supplied.";

	private static final String INVALID_SID = "Invalid SID supplied.";

	private static final String DUPLICATE = "The session already exists.";

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	// ---- rule 1 and 3: recognised by the subprotocol or the sid parameter; camp answered only when offered

	@Test
	void clientOfferingCampIsServedInCampAndTheAnswerIsCamp() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect("x-camp-sid=" + sid, sid, List.of("camp"))) {
			assertThat(client.subprotocol()).isEqualTo("camp");
			assertThat(client.next(EndpointInfoFrame.class).version()).isEqualTo(1);
			assertThat(campSession(sid).transactionLayout()).isEqualTo(TransactionLayout.CAMP);
		}
	}

	@Test
	void campIsAnsweredWhenOfferedAfterAnotherSubprotocol() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect("x-CAMP-sid=" + sid, sid, List.of("foo", "camp"))) {
			// The reference server would echo "foo", the first value offered.
			assertThat(client.subprotocol()).isEqualTo("camp");
			campSession(sid);
		}
		Response response = upgrade("authorization=Bearer+secret&x-CAMP-sid=" + RawFrames.newSid(),
				Map.of("Sec-WebSocket-Protocol", "foo, camp"));
		assertThat(response.status()).isEqualTo(101);
		assertThat(response.headers()).containsEntry("sec-websocket-protocol", "camp");
	}

	@Test
	void offeringCampIsEnoughWithoutACampSidParameterToBeCamp() throws IOException {
		// Recognised as CAMP by the offer alone, then refused for lacking a CAMP sid.
		Response response = upgrade("authorization=Bearer+secret", Map.of("Sec-WebSocket-Protocol", "camp"));
		assertRefused(response, NO_SID);
	}

	@Test
	void publishedClientOfferingNothingIsServedInCampWithoutASubprotocolHeader() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.camp(this.port, sid)) {
			assertThat(client.subprotocol()).isEmpty();
			client.next(EndpointInfoFrame.class);
			campSession(sid);
		}
		Response response = upgrade("authorization=Bearer+secret&x-CAMP-sid=" + RawFrames.newSid(), Map.of());
		assertThat(response.status()).isEqualTo(101);
		assertThat(response.headers()).doesNotContainKey("sec-websocket-protocol");
	}

	@Test
	void theSpecificationsSpellingAloneIsCamp() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect("x-camp-sid=" + sid, sid, List.of())) {
			assertThat(client.subprotocol()).isEmpty();
			client.next(EndpointInfoFrame.class);
			campSession(sid);
		}
	}

	// ---- rule 2: where the sid is read

	@Test
	void xCampSidIsReadBeforeXCAMPSid() {
		SessionId preferred = RawFrames.newSid();
		SessionId other = RawFrames.newSid();
		try (RawCryoClient client = connect("x-CAMP-sid=" + other + "&x-camp-sid=" + preferred, preferred,
				List.of())) {
			client.next(EndpointInfoFrame.class);
			campSession(preferred);
			assertThat(this.server.session(other)).isEmpty();
		}
	}

	@Test
	void anEmptyXCampSidFallsBackToXCAMPSid() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect("x-camp-sid=&x-CAMP-sid=" + sid, sid, List.of())) {
			client.next(EndpointInfoFrame.class);
			campSession(sid);
		}
	}

	@Test
	void xCryoSidIsNeverReadForACampConnection() throws IOException {
		Response response = upgrade("authorization=Bearer+secret&x-cryo-sid=" + RawFrames.newSid(),
				Map.of("Sec-WebSocket-Protocol", "camp"));
		assertRefused(response, NO_SID);
	}

	@ParameterizedTest(name = "x-CAMP-sid={0}")
	@ValueSource(strings = { "abc", "-1", "1e3", "18446744073709551616", "123e4567-e89b-12d3-a456-426614174000" })
	void unparsableCampSidIsRefusedWithInvalidSid(String sid) throws IOException {
		assertRefused(upgrade("authorization=Bearer+secret&x-CAMP-sid=" + sid, Map.of()), INVALID_SID);
	}

	@Test
	void emptyCampSidIsRefusedWithNoSid() throws IOException {
		assertRefused(upgrade("authorization=Bearer+secret&x-CAMP-sid=", Map.of()), NO_SID);
	}

	// ---- the checks of cryo-v1.md §2.3 in their order, preceded by the Origin check of §2.5

	@Test
	void foreignOriginIsRefusedWith403BeforeAnyOtherCheck() throws IOException {
		Response response = upgrade("x-CAMP-sid=abc", Map.of("Origin", "https://evil.example"));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void authorizationIsCheckedBeforeTheSid() throws IOException {
		assertRefused(upgrade("x-CAMP-sid=abc", Map.of()), NO_AUTH);
	}

	@Test
	void sidIsCheckedBeforeTheToken() throws IOException {
		assertRefused(upgrade("authorization=Bearer+wrong&x-CAMP-sid=abc", Map.of()), INVALID_SID);
		assertRefused(upgrade("authorization=Bearer+wrong&x-CAMP-sid=" + RawFrames.newSid(), Map.of()),
				INVALID_TOKEN);
	}

	// ---- rule 5: one registry for both dialects

	@Test
	void campUpgradeWithTheSidOfALiveV1SessionIsRefused() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient v1 = CryoClients.ready(this.port, sid)) {
			assertRefused(upgrade("authorization=Bearer+secret&x-CAMP-sid=" + sid, Map.of()), DUPLICATE);
			// The token is checked before the duplicate, as in v1.
			assertRefused(upgrade("authorization=Bearer+wrong&x-CAMP-sid=" + sid, Map.of()), INVALID_TOKEN);
			v1.send(Utf8DataFrame.of(sid, 1, "still here"));
			assertThat(v1.next(AckFrame.class).ack()).isEqualTo(1);
			assertThat(this.server.session(sid).orElseThrow().dialect()).isEqualTo("cryo-v1");
		}
	}

	@Test
	void v1UpgradeWithTheSidOfALiveCampSessionIsRefused() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient camp = CryoClients.camp(this.port, sid)) {
			camp.next(EndpointInfoFrame.class);
			campSession(sid);
			assertRefused(upgrade("authorization=Bearer+secret&x-cryo-sid=" + sid, Map.of()), DUPLICATE);
			camp.send(Utf8DataFrame.of(sid, 0, "still here"));
			assertThat(camp.next(AckFrame.class).ack()).isZero();
		}
	}

	// ---- everything else is Cryo v1, as before

	@Test
	void v1ClientOfferingAnotherSubprotocolIsServedInV1WithoutOne() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect("x-cryo-sid=" + sid, sid, List.of("foo"), RawCryoClient.Wire.CRYO_V1)) {
			assertThat(client.subprotocol()).isEmpty();
			client.handshake();
			CryoSession session = CryoClients.session(this.server, sid);
			assertThat(session.dialect()).isEqualTo("cryo-v1");
			assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.SEED);
		}
	}

	private RawCryoClient connect(String sidParameters, SessionId sid, List<String> subprotocols) {
		return connect(sidParameters, sid, subprotocols, RawCryoClient.Wire.CAMP);
	}

	private RawCryoClient connect(String sidParameters, SessionId sid, List<String> subprotocols,
			RawCryoClient.Wire wire) {
		URI uri = URI.create("ws://localhost:" + this.port + DialectTestApplication.PATH
				+ "?authorization=Bearer+secret&" + sidParameters);
		return RawCryoClient.connect(uri, sid, wire, subprotocols);
	}

	private CryoSession campSession(SessionId sid) {
		CryoSession session = CryoClients.session(this.server, sid);
		assertThat(session.dialect()).isEqualTo("camp");
		return session;
	}

	private Response upgrade(String query, Map<String, String> headers) throws IOException {
		return RawUpgradeRequest.send(this.port, DialectTestApplication.PATH + "?" + query, headers);
	}

	private static void assertRefused(Response response, String message) {
		assertThat(response.status()).as("status of a refusal with \"%s\"", message).isEqualTo(401);
		assertThat(response.body()).endsWith("was refused. " + message + "</p></body></html>");
	}

}
