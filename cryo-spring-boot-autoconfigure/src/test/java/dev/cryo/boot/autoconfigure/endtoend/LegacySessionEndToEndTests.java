package dev.cryo.boot.autoconfigure.endtoend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.boot.autoconfigure.endpoint.CryoEndpoint;
import dev.cryo.core.SessionId;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawCryoClient.Close;
import dev.cryo.test.RawLegacyClient;
import dev.cryo.test.RawLegacyFrames;
import dev.cryo.test.RawLegacyFrames.Parsed;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Legacy-generation clients on a real server, without CALE (legacy-v0.md §2, §3, §4–§6, §8,
 * §10.1, §10.2, §10.5, §10.7), driven by {@link RawLegacyClient}, which speaks from the byte
 * tables of the document and not through the server's codec: selection by a UUID sid, the
 * refusal order and messages of the 2.x server, echoes of text and binary data with the ACKs of
 * both sides, the Node clients' NUL-filled text, pings, the close without BYE, a CLIENT_HELLO
 * on a path without CALE, and what the application, metrics and the actuator see.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(60)
class LegacySessionEndToEndTests {

	private static final String NO_AUTH = "No auth data supplied.";

	private static final String DUPLICATE = "The session already exists.";

	private static final String INVALID_TOKEN = "Invalid bearer token in authorization query.";

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Autowired
	MeterRegistry registry;

	// ---- selection and the session id (§10.1 rules 1-2, §10.7)

	@Test
	void upperCaseUuidSidIsServedAsTheLowerCaseUuid() {
		String sent = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
		SessionId sid = SessionId.of(UUID.fromString(sent.toLowerCase(Locale.ROOT)));
		try (RawLegacyClient client = connect(sent)) {
			CryoSessionConnectedEvent connected = this.events.await(sid, CryoSessionConnectedEvent.class);
			assertThat(connected.getSession().idString()).isEqualTo(sent.toLowerCase(Locale.ROOT));
			CryoSession session = CryoClients.session(this.server, sid);
			assertThat(session.dialect()).isEqualTo("legacy-v0");
			assertThat(new CryoEndpoint(this.server).session(sent.toLowerCase(Locale.ROOT)).dialect())
				.isEqualTo("legacy-v0");
			// The server's frames carry the normalised sid.
			session.sendUtf8("hi");
			Parsed text = nextData(client);
			assertThat(text.sid()).isEqualTo(sid.asUuid());
		}
	}

	// ---- echoes and acknowledgements (§3, §5, §10.5)

	@Test
	void multiByteTextIsEchoedAndBothSidesAck() {
		UUID uuid = UUID.randomUUID();
		try (RawLegacyClient client = connect(uuid.toString())) {
			String text = "héllo ✓ 🚀 ünïcödé";
			client.send(RawLegacyFrames.utf8(uuid, 0, "echo:" + text));
			Parsed ack = client.next();
			assertThat(ack.type()).isEqualTo(RawLegacyFrames.ACK);
			assertThat(ack.ack()).isZero();
			assertThat(ack.payload()).isEmpty();
			Parsed echo = nextData(client);
			assertThat(echo.type()).isEqualTo(RawLegacyFrames.UTF8DATA);
			assertThat(echo.text()).isEqualTo(text);
			// Written by its UTF-8 length (§10.5), and the server's first number is 0 (§4).
			assertThat(echo.payload()).hasSize(text.getBytes(StandardCharsets.UTF_8).length);
			assertThat(echo.ack()).isZero();
			client.send(RawLegacyFrames.ack(uuid, echo.ack()));
			CryoSession session = CryoClients.session(this.server, SessionId.of(uuid));
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> session.pendingAcks() == 0);
		}
	}

	@Test
	void binaryOfZeroBytesToOneMebibyteIsEchoed() {
		UUID uuid = UUID.randomUUID();
		try (RawLegacyClient client = connect(uuid.toString())) {
			int ack = 0;
			for (int size : new int[] { 0, 1, 1000, 65536, 1024 * 1024 }) {
				byte[] payload = new byte[size];
				new Random(size).nextBytes(payload);
				client.send(RawLegacyFrames.binary(uuid, ack, payload));
				Parsed serverAck = client.next(Duration.ofSeconds(10));
				assertThat(serverAck.type()).isEqualTo(RawLegacyFrames.ACK);
				assertThat(serverAck.ack()).isEqualTo(ack);
				Parsed echo = nextData(client);
				assertThat(echo.type()).isEqualTo(RawLegacyFrames.BINARYDATA);
				assertThat(echo.payload()).isEqualTo(payload);
				client.send(RawLegacyFrames.ack(uuid, echo.ack()));
				// cryo-client-browser skips numbers (§3.1): the server must not mind.
				ack += 2;
			}
		}
	}

	@Test
	void nodeClientsCutAndNulFilledTextReachesTheApplicationUnchanged() {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawLegacyClient client = connect(uuid.toString())) {
			// "ééé" goes out as c3 a9 00, "héllo ✓ 🚀" as "héllo ✓" (§3.1).
			client.send(RawLegacyFrames.nodeClientUtf8(uuid, 0, "ééé"));
			client.send(RawLegacyFrames.nodeClientUtf8(uuid, 1, "héllo ✓ 🚀"));
			client.send(RawLegacyFrames.frame(uuid, 2, RawLegacyFrames.UTF8DATA, "null".getBytes(StandardCharsets.US_ASCII)));
			assertThat(this.events.awaitCount(sid, CryoUtf8MessageEvent.class, 3))
				.extracting(CryoUtf8MessageEvent::text)
				.containsExactly("é\u0000", "héllo ✓", "null");
			assertThat(new int[] { client.next().ack(), client.next().ack(), client.next().ack() }).containsExactly(0, 1, 2);
		}
	}

	@Test
	void frameWithAnotherSidIsStillServed() {
		UUID uuid = UUID.randomUUID();
		try (RawLegacyClient client = connect(uuid.toString())) {
			client.send(RawLegacyFrames.utf8(UUID.randomUUID(), 5, "echo:stray"));
			Parsed ack = client.next();
			assertThat(ack.type()).isEqualTo(RawLegacyFrames.ACK);
			assertThat(ack.ack()).isEqualTo(5);
			assertThat(ack.sid()).isEqualTo(uuid);
			assertThat(nextData(client).text()).isEqualTo("stray");
		}
	}

	// ---- ping / pong (§6, §10.5)

	@Test
	void clientsPingIsAnsweredWithAPongAndItsPongIsNot() {
		UUID uuid = UUID.randomUUID();
		try (RawLegacyClient client = connect(uuid.toString())) {
			client.send(RawLegacyFrames.pingPong(uuid, 77, true));
			Parsed pong = client.next();
			assertThat(pong.isPong()).isTrue();
			assertThat(pong.ack()).isEqualTo(77);
			client.send(RawLegacyFrames.pingPong(uuid, 78, false));
			assertThat(client.poll(Duration.ofMillis(300))).isNull();
		}
	}

	// ---- closing (§8, §10.7)

	@Test
	void serverCloseIs4000WithTheReasonAndNoFrame() {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawLegacyClient client = connect(uuid.toString())) {
			CryoClients.session(this.server, sid).close("Closing session.");
			assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(new Close(4000, "Closing session."));
			assertThat(client.poll(Duration.ZERO)).isNull();
			assertThat(this.events.await(sid, CryoSessionClosedEvent.class).closeInfo().code()).isEqualTo(4000);
		}
	}

	@Test
	void transactionsFailAtOnceOnALegacySession() {
		UUID uuid = UUID.randomUUID();
		try (RawLegacyClient client = connect(uuid.toString())) {
			CryoSession session = CryoClients.session(this.server, SessionId.of(uuid));
			CompletableFuture<Void> stream = session.stream(new ByteArrayInputStream(new byte[1]), "file");
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> stream.get(1, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(UnsupportedOperationException.class)
				.withMessageContaining("not supported by the legacy-v0 dialect");
			assertThat(session.setIncomingFlow(FlowBehaviour.PULL)).isCompletedExceptionally();
			assertThat(session.awaitStream("file", Duration.ofMinutes(1))).isCompletedExceptionally();
			assertThat(client.poll(Duration.ofMillis(200))).isNull();
		}
	}

	// ---- CALE without CALE (§10.2)

	@Test
	void clientHelloOnAPathWithoutCaleIsClosedWith4010() {
		UUID uuid = UUID.randomUUID();
		try (RawLegacyClient client = connect(uuid.toString())) {
			client.send(RawLegacyFrames.clientHello(uuid, 0));
			assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(new Close(4010,
					"CALE Mismatch. The client excepts CALE encryption, which is currently disabled."));
		}
	}

	// ---- refusals (§10.1 rule 4)

	@ParameterizedTest(name = "[{index}] \"{0}\"")
	@ValueSource(strings = { "", "authorization=", "authorization=Basic+secret", "authorization=bearer+secret",
			"authorization=Bearer" })
	void missingOrNonBearerAuthorizationIsNoAuthData(String authorization) throws IOException {
		assertRefused(upgrade(authorization + "&x-cryo-sid=" + UUID.randomUUID()), NO_AUTH);
	}

	@Test
	void duplicateSidIsRefusedBeforeTheToken() throws IOException {
		UUID uuid = UUID.randomUUID();
		try (RawLegacyClient client = connect(uuid.toString())) {
			this.events.await(SessionId.of(uuid), CryoSessionConnectedEvent.class);
			assertRefused(upgrade("authorization=Bearer+wrong&x-cryo-sid=" + uuid), DUPLICATE);
			// The same sid in upper case is the same session (§10.1 rule 2).
			assertRefused(upgrade("authorization=Bearer+secret&x-cryo-sid=" + uuid.toString().toUpperCase(Locale.ROOT)),
					DUPLICATE);
		}
	}

	@ParameterizedTest(name = "[{index}] \"{0}\"")
	@ValueSource(strings = { "Bearer+", "Bearer+wrong", "Bearer+throw-it" })
	void wrongTokenIsRefusedLastAndReleasesTheSid(String authorization) throws IOException {
		UUID uuid = UUID.randomUUID();
		assertRefused(upgrade("authorization=" + authorization + "&x-cryo-sid=" + uuid), INVALID_TOKEN);
		// The sid was held only while the token was checked.
		try (RawLegacyClient client = connect(uuid.toString())) {
			this.events.await(SessionId.of(uuid), CryoSessionConnectedEvent.class);
		}
	}

	@Test
	void refusalsCountUnderTheirReasons() throws IOException {
		double before = this.registry.get("cryo.upgrades.rejected").tag("reason", "no-auth-data").counter().count();
		assertRefused(upgrade("authorization=Basic+x&x-cryo-sid=" + UUID.randomUUID()), NO_AUTH);
		assertThat(this.registry.get("cryo.upgrades.rejected").tag("reason", "no-auth-data").counter().count())
			.isEqualTo(before + 1);
	}

	private RawLegacyClient connect(String sid) {
		return RawLegacyClient.connect(this.port, DialectTestApplication.PATH, DialectTestApplication.TOKEN, sid);
	}

	private Response upgrade(String query) throws IOException {
		return RawUpgradeRequest.send(this.port, DialectTestApplication.PATH + "?" + query, Map.of());
	}

	static void assertRefused(Response response, String message) {
		assertThat(response.status()).as("status of a refusal with \"%s\"", message).isEqualTo(401);
		assertThat(response.body()).endsWith("was refused. " + message + "</p></body></html>");
	}

	/** Skips ACKs and pings until a data frame arrives. */
	static Parsed nextData(RawLegacyClient client) {
		while (true) {
			Parsed next = client.next(Duration.ofSeconds(10));
			if (next.type() == RawLegacyFrames.UTF8DATA || next.type() == RawLegacyFrames.BINARYDATA) {
				return next;
			}
		}
	}

}
