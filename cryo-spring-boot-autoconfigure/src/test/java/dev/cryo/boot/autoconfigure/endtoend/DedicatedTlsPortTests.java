package dev.cryo.boot.autoconfigure.endtoend;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.ssl.bundle}: the dedicated port serves {@code wss://} with a PEM bundle. The key
 * and self-signed certificate are generated for this test ({@link TestCertificates}).
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class DedicatedTlsPortTests {

	private static Path certificate;

	@Value("${local.cryo.port}")
	int cryoPort;

	@org.springframework.beans.factory.annotation.Autowired
	CryoServer server;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) throws Exception {
		Path directory = Files.createTempDirectory("cryo-tls");
		directory.toFile().deleteOnExit();
		TestCertificates.Pem pem = TestCertificates.selfSignedServer(directory, "server");
		certificate = pem.certificate();
		registry.add("spring.ssl.bundle.pem.cryo.keystore.certificate", () -> "file:" + pem.certificate());
		registry.add("spring.ssl.bundle.pem.cryo.keystore.private-key", () -> "file:" + pem.privateKey());
		registry.add("cryo.port", () -> "0");
		registry.add("cryo.ssl.bundle", () -> "cryo");
	}

	@Test
	void clientsConnectWithWssAndExchangeMessages() throws Exception {
		HttpClient trusting = HttpClient.newBuilder()
			.sslContext(TestCertificates.clientContext(List.of(certificate), null))
			.build();
		URI uri = URI.create("wss://localhost:" + this.cryoPort + "/cryo?authorization=Bearer+secret&x-cryo-sid=77");
		try (RawCryoClient client = RawCryoClient.connect(uri, SessionId.of(77), trusting)) {
			client.handshake();
			var sent = this.server.session(77).orElseThrow().sendUtf8("over tls");
			Utf8DataFrame received = client.next(Utf8DataFrame.class);
			assertThat(received.text()).isEqualTo("over tls");
			client.send(new AckFrame(SessionId.of(77), received.ack()));
			assertThat(sent).succeedsWithin(java.time.Duration.ofSeconds(5));
		}
	}

}
