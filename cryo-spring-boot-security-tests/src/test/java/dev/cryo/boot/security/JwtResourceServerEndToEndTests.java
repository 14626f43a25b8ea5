package dev.cryo.boot.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cryo.boot.autoconfigure.security.SpringSecurityTokenAuthentication;
import dev.cryo.core.SessionId;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cryo on a real Tomcat in an application that is a JWT resource server: the upgrade's bearer
 * token is a real signed JWT, checked by Boot's {@code JwtDecoder} (signature, expiry, audience)
 * through {@code CryoSecurityAutoConfiguration}; the session's principal is the
 * {@link JwtAuthenticationToken}; with {@code cryo.authentication.close-on-expiry} the session ends
 * with BYE when the token expires.
 */
@SpringBootTest(classes = ResourceServerTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.oauth2.resourceserver.jwt.audiences=cryo-chat",
				"cryo.authentication.close-on-expiry=true" })
@Timeout(30)
class JwtResourceServerEndToEndTests {

	private static final KeyPair KEYS = TestJwts.rsaKeyPair();

	private static final KeyPair OTHER_KEYS = TestJwts.rsaKeyPair();

	@LocalServerPort
	int port;

	@Autowired
	CryoServer server;

	@DynamicPropertySource
	static void publicKey(DynamicPropertyRegistry registry) throws IOException {
		Path pem = Files.createTempFile("cryo-jwt-", ".pem");
		pem.toFile().deleteOnExit();
		String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(KEYS.getPublic().getEncoded());
		Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
		registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> pem.toUri().toString());
	}

	@Test
	void aValidJwtOpensASessionWhosePrincipalIsTheJwtAuthentication() {
		SessionId sid = RawFrames.newSid();
		Instant expiresAt = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo",
				TestJwts.jwt(KEYS, "alice", "cryo-chat", expiresAt), sid)) {
			client.handshake();
			CryoSession session = awaitSessionOf("alice");
			assertThat(session.id()).isEqualTo(sid);
			assertThat(session.principal()).isInstanceOfSatisfying(JwtAuthenticationToken.class,
					(authentication) -> assertThat(authentication.getName()).isEqualTo("alice"));
			assertThat(session.authenticationAttributes())
				.containsEntry(CryoAuthentication.EXPIRES_AT_ATTRIBUTE, expiresAt)
				.extractingByKey(SpringSecurityTokenAuthentication.AUTHORITIES_ATTRIBUTE)
				.asInstanceOf(InstanceOfAssertFactories.LIST)
				.contains("SCOPE_chat");
			assertThat(session.authenticationAttributes())
				.extractingByKey(SpringSecurityTokenAuthentication.CLAIMS_ATTRIBUTE)
				.asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
				.containsEntry("sub", "alice")
				.containsEntry("aud", List.of("cryo-chat"));
		}
	}

	@Test
	void anExpiredJwtIsRefusedWith401SayingSo() throws IOException {
		// Expired beyond the decoder's 60 s clock skew.
		Response response = upgrade(TestJwts.jwt(KEYS, "alice", "cryo-chat", Instant.now().minusSeconds(300)));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).contains("Jwt expired at");
	}

	@Test
	void aJwtSignedWithAnotherKeyIsRefusedWith401() throws IOException {
		Response response = upgrade(TestJwts.jwt(OTHER_KEYS, "alice", "cryo-chat", Instant.now().plusSeconds(3600)));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).contains("Invalid signature");
	}

	@Test
	void aJwtForAnotherAudienceIsRefusedWith401() throws IOException {
		Response response = upgrade(TestJwts.jwt(KEYS, "alice", "another-service", Instant.now().plusSeconds(3600)));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).contains("aud");
	}

	@Test
	void aSessionIsSentByeWhenItsJwtExpires() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo",
				TestJwts.jwt(KEYS, "bob", "cryo-chat", Instant.now().plusSeconds(2)), sid)) {
			client.handshake();
			Frame frame = client.next(Duration.ofSeconds(10));
			while (frame instanceof PingPongFrame) {
				frame = client.next(Duration.ofSeconds(10));
			}
			assertThat(frame).isInstanceOfSatisfying(ByeFrame.class,
					(bye) -> assertThat(bye.reason()).isEqualTo("Token expired."));
		}
	}

	private Response upgrade(String token) throws IOException {
		return RawUpgradeRequest.send(this.port, "/cryo?authorization=Bearer+" + token + "&x-cryo-sid="
				+ RawFrames.newSid(), Map.of());
	}

	private CryoSession awaitSessionOf(String name) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (System.nanoTime() < deadline) {
			List<CryoSession> sessions = this.server.sessionsOf(name);
			if (!sessions.isEmpty()) {
				return sessions.get(0);
			}
			Thread.onSpinWait();
		}
		throw new AssertionError("No session of " + name);
	}

}
