package dev.cryo.boot.autoconfigure.endtoend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
 * and self-signed certificate are generated for this test with the JDK's keytool and written as
 * PEM files.
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
		Path[] pem = generatePemBundle(directory);
		certificate = pem[0];
		registry.add("spring.ssl.bundle.pem.cryo.keystore.certificate", () -> "file:" + pem[0]);
		registry.add("spring.ssl.bundle.pem.cryo.keystore.private-key", () -> "file:" + pem[1]);
		registry.add("cryo.port", () -> "0");
		registry.add("cryo.ssl.bundle", () -> "cryo");
	}

	@Test
	void clientsConnectWithWssAndExchangeMessages() throws Exception {
		HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
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

	/** Generates an EC key and a self-signed certificate for localhost; returns {certificate.pem, key.pem}. */
	private static Path[] generatePemBundle(Path directory) throws Exception {
		Path keyStore = directory.resolve("cryo.p12");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "cryo", "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit"))
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as("keytool: %s", output).isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			store.load(in, "changeit".toCharArray());
		}
		Certificate cert = store.getCertificate("cryo");
		PrivateKey key = (PrivateKey) store.getKey("cryo", "changeit".toCharArray());
		Path certificatePem = directory.resolve("cert.pem");
		Path keyPem = directory.resolve("key.pem");
		Files.writeString(certificatePem, pem("CERTIFICATE", cert.getEncoded()));
		Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
		return new Path[] { certificatePem, keyPem };
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(der) + "\n-----END " + type + "-----\n";
	}

	private static SSLContext trusting(Path certificatePem) throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(certificatePem))) {
			trust.setCertificateEntry("cryo", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context;
	}

}
