package dev.cryo.boot.autoconfigure.endtoend;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code cryo.ssl.client-auth=need}: the dedicated port accepts only clients that present a
 * certificate its SSL bundle's trust store vouches for (a test certificate authority here); a
 * client without one does not get through the TLS handshake. A verified certificate without a
 * token authenticates the session as the certificate's subject; a token still decides when one
 * is sent.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class DedicatedMutualTlsPortTests {

	private static Path serverCertificate;

	private static Path clientKeys;

	@Value("${local.cryo.port}")
	int cryoPort;

	@Autowired
	CryoServer server;

	@DynamicPropertySource
	static void mutualTls(DynamicPropertyRegistry registry) throws Exception {
		Path directory = Files.createTempDirectory("cryo-mtls");
		directory.toFile().deleteOnExit();
		TestCertificates.Pem server = TestCertificates.selfSignedServer(directory, "server");
		TestCertificates.Authority authority = TestCertificates.authority(directory, "Cryo Test CA");
		serverCertificate = server.certificate();
		clientKeys = TestCertificates.client(directory, authority, "CN=alice,O=Cryo Tests");
		registry.add("spring.ssl.bundle.pem.cryo.keystore.certificate", () -> "file:" + server.certificate());
		registry.add("spring.ssl.bundle.pem.cryo.keystore.private-key", () -> "file:" + server.privateKey());
		registry.add("spring.ssl.bundle.pem.cryo.truststore.certificate", () -> "file:" + authority.certificate());
		registry.add("cryo.port", () -> "0");
		registry.add("cryo.ssl.bundle", () -> "cryo");
		registry.add("cryo.ssl.client-auth", () -> "need");
	}

	@Test
	void clientWithACertificateOfTheTrustedAuthorityConnects() throws Exception {
		HttpClient withCertificate = HttpClient.newBuilder()
			.sslContext(TestCertificates.clientContext(List.of(serverCertificate), clientKeys))
			.build();
		try (RawCryoClient client = RawCryoClient.connect(uri(81), SessionId.of(81), withCertificate)) {
			assertThat(client.handshake().sid()).isEqualTo(SessionId.of(81));
		}
	}

	@Test
	void certificateWithoutATokenAuthenticatesAsItsSubject() throws Exception {
		HttpClient withCertificate = HttpClient.newBuilder()
			.sslContext(TestCertificates.clientContext(List.of(serverCertificate), clientKeys))
			.build();
		URI withoutToken = URI.create("wss://localhost:" + this.cryoPort + "/cryo?x-cryo-sid=83");
		try (RawCryoClient client = RawCryoClient.connect(withoutToken, SessionId.of(83), withCertificate)) {
			client.handshake();
			CryoSession session = this.server.session(83).orElseThrow();
			assertThat(session.principal()).isInstanceOf(X500Principal.class);
			assertThat(session.principal().getName()).isEqualTo("CN=alice,O=Cryo Tests");
			assertThat(session.authenticationAttributes().get(CryoAuthentication.CLIENT_CERTIFICATE_ATTRIBUTE))
				.isInstanceOf(X509Certificate.class);
			assertThat(this.server.sessionsOf("CN=alice,O=Cryo Tests")).containsExactly(session);
		}
	}

	@Test
	void aTokenStillDecidesWhenTheClientSendsOne() throws Exception {
		HttpClient withCertificate = HttpClient.newBuilder()
			.sslContext(TestCertificates.clientContext(List.of(serverCertificate), clientKeys))
			.build();
		try (RawCryoClient client = RawCryoClient.connect(uri(84), SessionId.of(84), withCertificate)) {
			client.handshake();
			// The test application's TokenValidator lets the token in, as anonymous.
			assertThat(this.server.session(84).orElseThrow().principal()).isEqualTo(CryoPrincipal.ANONYMOUS);
		}
		URI badToken = URI.create("wss://localhost:" + this.cryoPort + "/cryo?authorization=Bearer+wrong&x-cryo-sid=85");
		assertThatThrownBy(() -> RawCryoClient.connect(badToken, SessionId.of(85), withCertificate).close())
			.hasStackTraceContaining("401");
	}

	@Test
	void clientWithoutACertificateIsTurnedAwayDuringTheTlsHandshake() throws Exception {
		HttpClient withoutCertificate = HttpClient.newBuilder()
			.sslContext(TestCertificates.clientContext(List.of(serverCertificate), null))
			.build();
		assertThatThrownBy(() -> RawCryoClient.connect(uri(82), SessionId.of(82), withoutCertificate).close())
			.hasStackTraceContaining("SSL");
	}

	private URI uri(long sid) {
		return URI.create("wss://localhost:" + this.cryoPort + "/cryo?authorization=Bearer+secret&x-cryo-sid=" + sid);
	}

}
