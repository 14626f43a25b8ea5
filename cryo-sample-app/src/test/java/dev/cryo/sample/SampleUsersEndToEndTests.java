package dev.cryo.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's users: {@code sample.tokens} entries of the form {@code name:secret} name the
 * sessions they open, a bare secret opens them as {@code anonymous}, and the actuator's
 * {@code cryo} endpoint lists each session with its user and groups.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "sample.tokens=alice:alice-secret,plain-secret" })
class SampleUsersEndToEndTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	CryoServer server;

	@Test
	void namedTokenOpensTheSessionAsItsUserAndABareOneAsAnonymous() {
		try (RawCryoClient alice = connect("alice-secret", 181); RawCryoClient plain = connect("plain-secret", 182)) {
			assertThat(principal(181)).isEqualTo("alice");
			assertThat(principal(182)).isEqualTo("anonymous");
			assertThat(this.server.sessionsOf("alice")).extracting(CryoSession::id).containsExactly(SessionId.of(181));
		}
	}

	@Test
	void secretsAreTheWholeTokenAndTheDevelopmentTokenIsOffOnceTokensAreConfigured() throws Exception {
		for (String token : List.of("alice", "alice:alice-secret", "dev-token")) {
			RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.port,
					"/cryo?authorization=Bearer+" + token + "&x-cryo-sid=183", Map.of());
			assertThat(response.status()).as(token).isEqualTo(401);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void actuatorListsEachSessionWithItsUserAndGroups() throws Exception {
		try (RawCryoClient alice = connect("alice-secret", 184)) {
			this.server.session(184).orElseThrow().join("demo");
			Map<String, Object> cryo = JsonParserFactory.getJsonParser().parseMap(get("/actuator/cryo"));
			List<Map<String, Object>> sessions = (List<Map<String, Object>>) cryo.get("sessions");
			assertThat(sessions).anySatisfy((session) -> {
				assertThat(session).containsEntry("id", "184").containsEntry("principal", "alice");
				assertThat((List<String>) session.get("groups")).containsExactly("demo");
			});
		}
	}

	private RawCryoClient connect(String token, long sid) {
		RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", token, SessionId.of(sid));
		client.handshake();
		return client;
	}

	private String principal(long sid) {
		Awaitility.await().until(() -> this.server.session(sid).isPresent());
		Principal principal = this.server.session(sid).orElseThrow().principal();
		return (principal != null) ? principal.getName() : null;
	}

	private String get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
