package dev.cryo.sample;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Shared plumbing of the conformance tests: the port of the running sample app, sid allocation,
 * and the check of the refusal response shape of cryo-v1.md §2.4.
 */
abstract class ConformanceSupport {

	static final String NO_AUTH = "No auth data supplied.";

	static final String WRONG_TYPE = "Incorrect type of auth data supplied.";

	static final String INVALID_TOKEN = "Invalid bearer token in authorization query.";

	static final String NO_SID = "No SID supplied.";

	static final String INVALID_SID = "Invalid SID supplied.";

	static final String DUPLICATE = "The session already exists.";

	static final String TOKEN = "authorization=Bearer+" + CryoTestClient.DEV_TOKEN;

	@LocalServerPort
	int port;

	/**
	 * A random sid over the whole unsigned 64-bit range (half of them ≥ 2^63, as real clients
	 * draw 8 random bytes), avoiding the handful of fixed sids other tests use.
	 */
	static long randomSid() {
		long sid;
		do {
			sid = ThreadLocalRandom.current().nextLong();
		}
		while (Long.compareUnsigned(sid, 1_000_000) < 0 || sid == -1L || sid == Long.MIN_VALUE
				|| sid == 1234567890123456789L);
		return sid;
	}

	/** The SHA-256 of bytes in lower-case hex, as the sample app reports what it received. */
	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String sidParam(long sid) {
		return "x-cryo-sid=" + CryoWire.sid(sid);
	}

	CryoTestClient connect(long sid) {
		return CryoTestClient.connect(this.port, sid);
	}

	/** Connects and completes the §3 handshake. */
	CryoTestClient connectReady(long sid) {
		CryoTestClient client = CryoTestClient.connect(this.port, sid);
		try {
			client.handshake();
		}
		catch (RuntimeException | AssertionError ex) {
			client.close();
			throw ex;
		}
		return client;
	}

	RawHttp.Response upgrade(String rawQuery) {
		return upgrade(rawQuery, Map.of());
	}

	RawHttp.Response upgrade(String rawQuery, Map<String, String> headers) {
		return RawHttp.upgrade(this.port, "/cryo" + ((rawQuery != null) ? "?" + rawQuery : ""), headers);
	}

	/**
	 * §2.2/§2.3/§2.4: status 401, {@code text/html; charset=utf-8}, {@code Connection: close},
	 * correct Content-Length, the fixed body around the message, and the TCP connection closed.
	 * The remote address is optional (§2.4: "our server MAY leave the address out").
	 */
	static void assertRefused(RawHttp.Response response, String message) {
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(response.status()).as("status of %s", response).isEqualTo(401);
		softly.assertThat(response.body())
			.as("refusal body")
			.matches(Pattern.compile("<html><body><h1>401 Unauthorized</h1><p>Upgrade request (for [^<]*)?was refused\\. "
					+ Pattern.quote(message) + "</p></body></html>"));
		// Media type and charset as in §2.4, compared the way HTTP defines them (RFC 9110 §8.3.1:
		// type, parameter name and charset value are case-insensitive, whitespace around ';' optional).
		// The exact bytes of the header are checked separately (refusalContentTypeIsExactlyAsSpecified).
		softly.assertThat(normalizedMediaType(response.header("Content-Type")))
			.as("Content-Type %s", response.header("Content-Type"))
			.isEqualTo("text/html;charset=utf-8");
		softly.assertThat(response.header("Connection")).as("Connection header").isEqualToIgnoringCase("close");
		softly.assertThat(response.header("Content-Length"))
			.as("Content-Length")
			.isEqualTo(String.valueOf(response.bodyBytes().length));
		softly.assertThat(response.header("Upgrade")).as("no Upgrade header on a refusal").isNull();
		softly.assertThat(response.closedByServer()).as("TCP connection closed after the refusal").isTrue();
		softly.assertAll();
	}

	static String normalizedMediaType(String contentType) {
		if (contentType == null) {
			return null;
		}
		StringBuilder normalized = new StringBuilder();
		for (String part : contentType.split(";")) {
			if (normalized.length() > 0) {
				normalized.append(';');
			}
			normalized.append(part.trim().toLowerCase(java.util.Locale.ROOT));
		}
		return normalized.toString();
	}

}
