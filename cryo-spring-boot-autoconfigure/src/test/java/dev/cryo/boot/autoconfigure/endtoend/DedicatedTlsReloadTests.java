package dev.cryo.boot.autoconfigure.endtoend;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cryo.core.SessionId;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A renewed certificate reaches the dedicated port without a restart: the SSL bundle reloads
 * its PEM files on update (Boot's file watching), and the next connection is served with the new
 * certificate, which is the only one the test's client trusts.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class DedicatedTlsReloadTests {

	private static Path directory;

	private static TestCertificates.Pem served;

	@Value("${local.cryo.port}")
	int cryoPort;

	@DynamicPropertySource
	static void reloadingTls(DynamicPropertyRegistry registry) throws Exception {
		directory = Files.createTempDirectory("cryo-tls-reload");
		directory.toFile().deleteOnExit();
		TestCertificates.Pem first = TestCertificates.selfSignedServer(directory, "first");
		served = new TestCertificates.Pem(directory.resolve("served-cert.pem"), directory.resolve("served-key.pem"));
		Files.copy(first.certificate(), served.certificate());
		Files.copy(first.privateKey(), served.privateKey());
		registry.add("spring.ssl.bundle.pem.cryo.keystore.certificate", () -> "file:" + served.certificate());
		registry.add("spring.ssl.bundle.pem.cryo.keystore.private-key", () -> "file:" + served.privateKey());
		registry.add("spring.ssl.bundle.pem.cryo.reload-on-update", () -> "true");
		registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "100ms");
		registry.add("cryo.port", () -> "0");
		registry.add("cryo.ssl.bundle", () -> "cryo");
	}

	@Test
	void renewedCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
		TestCertificates.Pem renewed = TestCertificates.selfSignedServer(directory, "renewed");
		HttpClient trustingOnlyTheRenewed = HttpClient.newBuilder()
			.sslContext(TestCertificates.clientContext(List.of(renewed.certificate()), null))
			.build();
		assertThatThrownBy(() -> RawCryoClient.connect(uri(91), SessionId.of(91), trustingOnlyTheRenewed).close())
			.hasStackTraceContaining("SSL");
		Files.copy(renewed.privateKey(), served.privateKey(), StandardCopyOption.REPLACE_EXISTING);
		Files.copy(renewed.certificate(), served.certificate(), StandardCopyOption.REPLACE_EXISTING);
		Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.untilAsserted(() -> {
			try (RawCryoClient client = RawCryoClient.connect(uri(92), SessionId.of(92), trustingOnlyTheRenewed)) {
				assertThat(client.handshake().sid()).isEqualTo(SessionId.of(92));
			}
		});
	}

	private URI uri(long sid) {
		return URI.create("wss://localhost:" + this.cryoPort + "/cryo?authorization=Bearer+secret&x-cryo-sid=" + sid);
	}

}
