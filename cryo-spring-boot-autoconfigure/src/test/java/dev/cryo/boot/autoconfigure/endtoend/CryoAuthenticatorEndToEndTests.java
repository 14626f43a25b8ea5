package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.boot.autoconfigure.endpoint.CryoEndpoint;
import dev.cryo.core.SessionId;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's {@link dev.cryo.server.CryoAuthenticator} on a real Tomcat: the principal it
 * names is the session's, in events, in {@link CryoServer#sessionsOf(String)}, as an address
 * and in the {@code cryo} endpoint, and its refusal message is the 401 body's.
 */
@SpringBootTest(classes = AuthenticatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(30)
class CryoAuthenticatorEndToEndTests {

	private static final Duration QUIET = Duration.ofMillis(200);

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Test
	void thePrincipalIsTheSessionsInItsConnectedEventInSessionsOfAndInTheEndpoint() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect("alice", sid)) {
			client.handshake();
			CryoSession session = this.events.await(sid, CryoSessionConnectedEvent.class).getSession();
			Principal principal = session.principal();
			assertThat(principal).isNotNull();
			assertThat(principal.getName()).isEqualTo("alice");
			assertThat(session.authenticationAttributes()).containsEntry("roles", List.of("reader"))
				.containsEntry("tenant", "localhost:" + this.port);
			assertThat(this.server.sessionsOf("alice")).containsExactly(session);
			assertThat(new CryoEndpoint(this.server).session(sid.toString()))
				.satisfies((descriptor) -> assertThat(descriptor.principal()).isEqualTo("alice"));
		}
	}

	@Test
	void sendingToAUserReachesBothOfItsSessionsAndNotAnotherUsers() {
		SessionId phone = RawFrames.newSid();
		SessionId laptop = RawFrames.newSid();
		SessionId other = RawFrames.newSid();
		try (RawCryoClient bobPhone = connect("bob", phone); RawCryoClient bobLaptop = connect("bob", laptop);
				RawCryoClient carol = connect("carol", other)) {
			for (RawCryoClient client : List.of(bobPhone, bobLaptop, carol)) {
				client.handshake();
			}
			this.events.await(other, CryoSessionConnectedEvent.class);
			this.events.await(laptop, CryoSessionConnectedEvent.class);
			this.events.await(phone, CryoSessionConnectedEvent.class);
			Map<CryoSession, ?> sent = this.server.sendUtf8ToUser("bob", "for bob");
			assertThat(sent.keySet()).extracting(CryoSession::id).containsExactlyInAnyOrder(phone, laptop);
			assertThat(bobPhone.next(Utf8DataFrame.class).text()).isEqualTo("for bob");
			assertThat(bobLaptop.next(Utf8DataFrame.class).text()).isEqualTo("for bob");
			this.server.sendBinaryToUser("bob", ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
			assertThat(bobPhone.next(BinaryDataFrame.class).payload().remaining()).isEqualTo(3);
			assertThat(bobLaptop.next(BinaryDataFrame.class).payload().remaining()).isEqualTo(3);
			assertThat(carol.poll(QUIET)).isNull();
		}
	}

	@Test
	void theAuthenticatorsRefusalMessageIsThe401BodysMessageEscaped() throws IOException {
		Response response = RawUpgradeRequest.send(this.port,
				"/cryo?authorization=Bearer+nobody&x-cryo-sid=" + RawFrames.newSid(), Map.of());
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).endsWith(
				"was refused. Account &lt;locked&gt; &amp; &quot;frozen&quot;.</p></body></html>");
		assertThat(response.headers().get("content-length"))
			.isEqualTo(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
	}

	@Test
	void theAuthenticatorBeanWinsOverTheTokenValidator() throws IOException {
		Response response = RawUpgradeRequest.send(this.port,
				"/cryo?authorization=Bearer+secret&x-cryo-sid=" + RawFrames.newSid(), Map.of());
		assertThat(response.status()).isEqualTo(401);
	}

	private RawCryoClient connect(String user, SessionId sid) {
		return RawCryoClient.connect(this.port, "/cryo", AuthenticatorTestApplication.USER_PREFIX + user, sid);
	}

}
