package dev.cryo.boot.autoconfigure.endtoend;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys and certificates made for a test with the JDK's keytool (EC P-256, valid for two days):
 * a server's self-signed certificate for localhost as PEM files an SSL bundle reads, a
 * certificate authority, and client certificates it signs, in PKCS #12 key stores a client's
 * {@link SSLContext} reads.
 */
final class TestCertificates {

	static final char[] PASSWORD = "changeit".toCharArray();

	private TestCertificates() {
	}

	/**
	 * A key and a certificate as PEM files.
	 * @param certificate the certificate (chain)
	 * @param privateKey the PKCS #8 private key
	 */
	record Pem(Path certificate, Path privateKey) {
	}

	/** A self-signed certificate for {@code localhost} and its key, as PEM files named after {@code name}. */
	static Pem selfSignedServer(Path directory, String name) throws Exception {
		Path store = directory.resolve(name + ".p12");
		keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
				"-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
				store.toString(), "-storepass", new String(PASSWORD));
		KeyStore keys = load(store);
		Pem pem = new Pem(directory.resolve(name + "-cert.pem"), directory.resolve(name + "-key.pem"));
		Files.writeString(pem.certificate(), pem("CERTIFICATE", keys.getCertificate(name).getEncoded()));
		Files.writeString(pem.privateKey(), pem("PRIVATE KEY", ((PrivateKey) keys.getKey(name, PASSWORD)).getEncoded()));
		return pem;
	}

	/** A certificate authority: its key store (alias {@code ca}) and its certificate as PEM. */
	record Authority(Path keyStore, Path certificate) {
	}

	static Authority authority(Path directory, String commonName) throws Exception {
		Path store = directory.resolve("ca.p12");
		keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName,
				"-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass",
				new String(PASSWORD));
		Path certificate = directory.resolve("ca-cert.pem");
		Files.writeString(certificate, pem("CERTIFICATE", load(store).getCertificate("ca").getEncoded()));
		return new Authority(store, certificate);
	}

	/**
	 * A client key and a certificate for the given subject signed by the authority, in a PKCS #12
	 * key store (alias {@code client}, with the chain up to the authority).
	 */
	static Path client(Path directory, Authority authority, String distinguishedName) throws Exception {
		Path store = directory.resolve("client.p12");
		String password = new String(PASSWORD);
		keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				distinguishedName, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass",
				password);
		Path request = directory.resolve("client.csr");
		Path signed = directory.resolve("client-cert.pem");
		keytool("-certreq", "-alias", "client", "-keystore", store.toString(), "-storepass", password, "-file",
				request.toString());
		keytool("-gencert", "-alias", "ca", "-keystore", authority.keyStore().toString(), "-storepass", password,
				"-infile", request.toString(), "-outfile", signed.toString(), "-rfc", "-validity", "2", "-ext",
				"EKU=clientAuth");
		keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", store.toString(), "-storepass", password,
				"-file", authority.certificate().toString());
		keytool("-importcert", "-alias", "client", "-keystore", store.toString(), "-storepass", password, "-file",
				signed.toString());
		return store;
	}

	/**
	 * A client's TLS context that trusts the given certificates and, if given, presents the key
	 * of a store made by {@link #client}.
	 */
	static SSLContext clientContext(List<Path> trustedCertificates, @Nullable Path clientKeyStore) throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		CertificateFactory factory = CertificateFactory.getInstance("X.509");
		for (Path certificate : trustedCertificates) {
			try (InputStream in = Files.newInputStream(certificate)) {
				trust.setCertificateEntry(certificate.getFileName().toString(), factory.generateCertificate(in));
			}
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		KeyManagerFactory keyManagers = null;
		if (clientKeyStore != null) {
			keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(load(clientKeyStore), PASSWORD);
		}
		SSLContext context = SSLContext.getInstance("TLS");
		context.init((keyManagers != null) ? keyManagers.getKeyManagers() : null, trustManagers.getTrustManagers(), null);
		return context;
	}

	private static KeyStore load(Path store) throws Exception {
		KeyStore keys = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(store)) {
			keys.load(in, PASSWORD);
		}
		return keys;
	}

	private static void keytool(String... arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as("keytool %s: %s", String.join(" ", arguments), output).isZero();
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(der) + "\n-----END " + type + "-----\n";
	}

}
