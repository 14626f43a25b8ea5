package dev.cryo.sample;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * cryo-v1.md §2 (connection establishment) against the running sample app with its default
 * token {@code dev-token}: every refusal message, the order of the checks (§2.3), the refusal
 * response (§2.4), form decoding and duplicate parameters (§2.1), and the sid registry (§2.3
 * step 7). Refusals are checked with a raw socket so that the exact HTTP response is visible.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Cryo v1 §2 — authentication and session id")
class AuthenticationConformanceTests extends ConformanceSupport {

	static Stream<Arguments> refusals() {
		String sid = sidParam(randomSid());
		return Stream.of(
				arguments("§2.3 step 1: no authorization parameter", sid, NO_AUTH),
				arguments("§2.3 step 1: no query at all", null, NO_AUTH),
				arguments("§2.3 step 1: empty authorization value", "authorization=&" + sid, NO_AUTH),
				arguments("§2.3 step 1: authorization without '=' is empty", "authorization&" + sid, NO_AUTH),
				arguments("§2.1: parameter names are case-sensitive (Authorization=…)",
						"Authorization=Bearer+dev-token&" + sid, NO_AUTH),
				arguments("§2.3 order 1<5: missing auth is reported before an invalid sid", "x-cryo-sid=abc", NO_AUTH),
				arguments("§2.3 order 1<4: missing auth is reported before a missing sid", "foo=bar", NO_AUTH),
				arguments("§2.3 step 2: type Basic", "authorization=Basic+ZGV2LXRva2Vu&" + sid, WRONG_TYPE),
				arguments("§2.3 step 2: lower-case 'bearer'", "authorization=bearer+dev-token&" + sid, WRONG_TYPE),
				arguments("§2.3 step 2: 'Bearer' alone (no space)", "authorization=Bearer&" + sid, WRONG_TYPE),
				arguments("§2.3 step 2: 'BearerXdev-token' (the reference would accept it, D-S4)",
						"authorization=BearerXdev-token&" + sid, WRONG_TYPE),
				arguments("§2.3 step 2: tab instead of the space", "authorization=Bearer%09dev-token&" + sid, WRONG_TYPE),
				arguments("§2.1: %2B decodes to '+', not to a space", "authorization=Bearer%2Bdev-token&" + sid,
						WRONG_TYPE),
				arguments("§2.3 order 2<4: wrong type is reported before a missing sid", "authorization=Basic+abc",
						WRONG_TYPE),
				arguments("§2.3 order 2<5: wrong type is reported before an invalid sid",
						"authorization=Basic+abc&x-cryo-sid=-1", WRONG_TYPE),
				arguments("§2.3 step 3: empty token ('Bearer+')", "authorization=Bearer+&" + sid, INVALID_TOKEN),
				arguments("§2.3 step 3: empty token ('Bearer%20')", "authorization=Bearer%20&" + sid, INVALID_TOKEN),
				arguments("§2.3 order 3<4: empty token is reported before a missing sid", "authorization=Bearer+",
						INVALID_TOKEN),
				arguments("§2.3 order 3<5: empty token is reported before an invalid sid",
						"authorization=Bearer+&x-cryo-sid=abc", INVALID_TOKEN),
				arguments("§2.3 step 4: no x-cryo-sid", TOKEN, NO_SID),
				arguments("§2.3 step 4: empty x-cryo-sid", TOKEN + "&x-cryo-sid=", NO_SID),
				arguments("§2.1: x-cryo-sid name is case-sensitive", TOKEN + "&X-Cryo-Sid=5", NO_SID),
				arguments("§2.3 order 4<6: missing sid is reported before an invalid token", "authorization=Bearer+nope",
						NO_SID),
				arguments("§2.3 order 5<6: invalid sid is reported before an invalid token",
						"authorization=Bearer+nope&x-cryo-sid=abc", INVALID_SID),
				arguments("§2.3 step 6: unknown token", "authorization=Bearer+nope&" + sid, INVALID_TOKEN),
				arguments("§2.3 step 3: token is not trimmed (trailing space)", "authorization=Bearer+dev-token+&" + sid,
						INVALID_TOKEN),
				arguments("§2.3 step 3: token is not trimmed (two spaces after Bearer)",
						"authorization=Bearer++dev-token&" + sid, INVALID_TOKEN),
				arguments("§2.3 step 6: token comparison is exact (upper case)", "authorization=Bearer+DEV-TOKEN&" + sid,
						INVALID_TOKEN),
				arguments("§2.1: first occurrence of authorization wins (invalid first)",
						"authorization=Bearer+nope&authorization=Bearer+dev-token&" + sid, INVALID_TOKEN),
				arguments("§2.1: first occurrence of x-cryo-sid wins (invalid first)",
						TOKEN + "&x-cryo-sid=abc&x-cryo-sid=5", INVALID_SID));
	}

	@ParameterizedTest(name = "{0} → 401 \"{2}\"")
	@MethodSource("refusals")
	@DisplayName("§2.3/§2.4: refusal message and check order")
	void refusalMessageAndOrder(String description, String query, String message) {
		assertRefused(upgrade(query), message);
	}

	@Test
	@DisplayName("legacy-v0.md §10.1: a UUID x-cryo-sid is a legacy client, served by default (cryo.dialects.legacy.enabled)")
	void uuidSidIsServedAsALegacyClient() {
		assertThat(upgrade(TOKEN + "&x-cryo-sid=123e4567-e89b-12d3-a456-426614174000").status()).isEqualTo(101);
	}

	@ParameterizedTest(name = "§2.3 step 5: x-cryo-sid \"{0}\" is refused with 401 Invalid SID supplied.")
	@ValueSource(strings = { "18446744073709551616", // 2^64
			"99999999999999999999", // 20 digits, > 2^64-1
			"123456789012345678901", // 21 digits
			"-1", "-0", "%2B1", // explicit sign ('+' must be %2B: a bare '+' is a space)
			"1e3", "1E3", "1.5", "1.0", "abc", "deadbeef", "1f", "0x", "12a", "1_000", "1,000", "4+2",
			"123e4567-e89b-12d3-a456-42661417400", // one digit short of a UUID
			"Infinity", "NaN", "%D9%A3", // ARABIC-INDIC DIGIT THREE (not an ASCII digit)
			"%EF%BC%91", // FULLWIDTH DIGIT ONE
			"%E2%80%8A7" // HAIR SPACE + 7 (not ASCII whitespace)
	})
	@DisplayName("§2.3 step 5: invalid x-cryo-sid forms")
	void invalidSidForms(String sidValue) {
		assertRefused(upgrade(TOKEN + "&x-cryo-sid=" + sidValue), INVALID_SID);
	}

	@Test
	@DisplayName("§2.3 step 5: x-cryo-sid with 21 digits (leading zeros, value 1) is refused with 401 Invalid SID supplied.")
	void sidWithTwentyOneDigitsIncludingLeadingZerosIsRefused() {
		assertRefused(upgrade(TOKEN + "&x-cryo-sid=000000000000000000001"), INVALID_SID);
		assertRefused(upgrade(TOKEN + "&x-cryo-sid=000000000000000000000000000042"), INVALID_SID);
	}

	@Test
	@DisplayName("§2.4: the refusal's Content-Type is text/html with charset utf-8, as the spec writes it")
	void refusalContentTypeIsExactlyAsSpecified() {
		RawHttp.Response response = upgrade("authorization=Bearer+nope&" + sidParam(randomSid()));
		assertThat(response.status()).isEqualTo(401);
		// Tomcat rebuilds the header without the optional space after ';' (RFC 9110: the same
		// media type); everything else is byte for byte what §2.4 shows.
		assertThat(response.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
	}

	@Test
	@DisplayName("§2.3 step 5: x-cryo-sid 2^64 is refused with 401 Invalid SID supplied.")
	void sidTwoToThe64IsRefused() {
		assertRefused(upgrade(TOKEN + "&x-cryo-sid=18446744073709551616"), INVALID_SID);
	}

	@Test
	@DisplayName("§2.3 step 5: x-cryo-sid 2^64-1 (20 digits) is the largest accepted value")
	void sidMaxIsAccepted() {
		try (CryoTestClient client = CryoTestClient.connectReusingSid(this.port, -1L)) {
			client.handshake();
		}
	}

	@Test
	@DisplayName("§2.4: refusal response is exactly status 401, text/html; charset=utf-8, Connection: close and the fixed body")
	void refusalResponseShape() {
		RawHttp.Response response = upgrade("authorization=Bearer+nope&" + sidParam(randomSid()));
		assertRefused(response, INVALID_TOKEN);
		assertThat(response.statusLine()).as("status line").startsWith("HTTP/1.1 401");
		assertThat(response.body()).startsWith("<html><body><h1>401 Unauthorized</h1><p>Upgrade request ")
			.endsWith(" was refused. Invalid bearer token in authorization query.</p></body></html>");
	}

	@Test
	@DisplayName("§2.1: '+' in the query is decoded as a space (authorization=Bearer+dev-token is accepted)")
	void plusIsDecodedAsSpace() {
		long sid = randomSid();
		try (CryoTestClient client = CryoTestClient.connect(this.port, "authorization=Bearer+dev-token&" + sidParam(sid),
				sid)) {
			client.handshake();
		}
	}

	@Test
	@DisplayName("§2.1: percent-encoded space (Bearer%20dev-token) and encoded parameter names are accepted")
	void percentEncodingIsDecoded() {
		long sid = randomSid();
		try (CryoTestClient client = CryoTestClient.connect(this.port,
				"authorization=Bearer%20dev%2Dtoken&x-cryo-%73id=" + CryoWire.sid(sid), sid)) {
			client.handshake();
		}
	}

	@Test
	@DisplayName("§2.1: the first occurrence of a duplicated parameter wins (valid first → accepted)")
	void firstOccurrenceWinsWhenValid() {
		long sid = randomSid();
		String query = "authorization=Bearer+dev-token&authorization=Bearer+nope&" + sidParam(sid) + "&x-cryo-sid=abc";
		try (CryoTestClient client = CryoTestClient.connect(this.port, query, sid)) {
			client.handshake();
			client.assertEchoes("first wins");
		}
	}

	@Test
	@DisplayName("§2.1: other query parameters are ignored")
	void otherParametersAreIgnored() {
		long sid = randomSid();
		String query = "foo=bar&" + TOKEN + "&baz&" + sidParam(sid) + "&x-cryo-sid2=1&authorization2=x";
		try (CryoTestClient client = CryoTestClient.connect(this.port, query, sid)) {
			client.handshake();
		}
	}

	@Test
	@DisplayName("§2.3 step 5: surrounding ASCII whitespace (space, tab) and leading zeros are accepted")
	void sidWhitespaceAndLeadingZeros() {
		long spaced = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
		try (CryoTestClient client = CryoTestClient.connect(this.port, TOKEN + "&x-cryo-sid=+%20" + spaced + "+", spaced)) {
			client.handshake();
		}
		long tabbed = spaced + 1;
		try (CryoTestClient client = CryoTestClient.connect(this.port, TOKEN + "&x-cryo-sid=%09" + tabbed + "%09",
				tabbed)) {
			client.handshake();
		}
		long padded = spaced + 2;
		String twentyDigits = String.format("%020d", padded);
		try (CryoTestClient client = CryoTestClient.connect(this.port, TOKEN + "&x-cryo-sid=" + twentyDigits, padded)) {
			client.handshake();
		}
	}

	@Test
	@DisplayName("§2.3 step 5: 0x-prefixed sid MAY be accepted (then with its numeric value), else refused as Invalid SID")
	void hexPrefixedSidMayBeAccepted() {
		long sid = ThreadLocalRandom.current().nextLong(0x10_0000_0000L, 0x7F_0000_0000L);
		String query = TOKEN + "&x-cryo-sid=0x" + Long.toHexString(sid);
		RawHttp.Response probe = upgrade(query);
		if (probe.status() == 101) {
			// Accepted: every frame of the session must carry the numeric value (checked by the client).
			// The probe's session ends asynchronously, so retry while its sid is still taken.
			try (CryoTestClient client = CryoTestClient.connectRetrying(this.port, query, sid)) {
				client.handshake();
			}
			// ... and it is the same session id as the decimal form (§2.2 step 5 compares numbers).
			try (CryoTestClient client = CryoTestClient.connectRetrying(this.port, query, sid)) {
				client.handshake();
				assertRefused(upgrade(TOKEN + "&" + sidParam(sid)), DUPLICATE);
			}
		}
		else {
			assertRefused(probe, INVALID_SID);
		}
	}

	@Test
	@DisplayName("§2.3: an optional Authorization: Bearer header is used only when the query parameter is absent")
	void authorizationHeaderFallback() {
		long sid = randomSid();
		RawHttp.Response response = upgrade(sidParam(sid), Map.of("Authorization", "Bearer dev-token"));
		if (response.status() == 101) {
			// Header fallback implemented (MAY): a full session must work with it.
			long other = randomSid();
			try (CryoTestClient client = CryoTestClient.connect(this.port, sidParam(other), other,
					Map.of("Authorization", "Bearer dev-token"))) {
				client.handshake();
				client.assertEchoes("via header");
			}
		}
		else {
			assertRefused(response, NO_AUTH);
		}
		// The header never overrides the query parameter: a bad query token stays refused ...
		assertRefused(upgrade("authorization=Bearer+nope&" + sidParam(randomSid()),
				Map.of("Authorization", "Bearer dev-token")), INVALID_TOKEN);
		// ... and a bad header token without query parameter is not accepted.
		RawHttp.Response badHeader = upgrade(sidParam(randomSid()), Map.of("Authorization", "Bearer nope"));
		assertThat(badHeader.status()).isEqualTo(401);
		assertThat(badHeader.body()).containsAnyOf(INVALID_TOKEN, NO_AUTH);
	}

	@Test
	@DisplayName("§1.7: a Cryo v1 client gets no WebSocket subprotocol, even when it offers some (other than camp)")
	void noSubprotocolIsSelected() {
		long sid = randomSid();
		RawHttp.Response response = upgrade(TOKEN + "&" + sidParam(sid),
				Map.of("Sec-WebSocket-Protocol", "cryo, chat"));
		assertThat(response.status()).as("%s", response).isEqualTo(101);
		assertThat(response.header("Sec-WebSocket-Protocol")).isNull();
	}

	@Test
	@DisplayName("§2.5 / camp.md §1 rules 1, 2: offering camp makes the upgrade a CAMP one, which never reads x-cryo-sid")
	void offeringCampIgnoresTheCryoSid() {
		assertRefused(upgrade(TOKEN + "&" + sidParam(randomSid()), Map.of("Sec-WebSocket-Protocol", "camp, cryo")),
				NO_SID);
	}

	// ------------------------------------------------------------------ §2.3 step 7

	@Test
	@DisplayName("§2.3 step 7: a live sid is refused with 401 The session already exists.; the first session is unaffected")
	void duplicateSidIsRefused() {
		long sid = randomSid();
		try (CryoTestClient first = connectReady(sid)) {
			assertRefused(upgrade(TOKEN + "&" + sidParam(sid)), DUPLICATE);
			// The duplicate check compares numbers (§2.2 step 5): leading zeros / whitespace name the same sid.
			assertRefused(upgrade(TOKEN + "&x-cryo-sid=" + String.format("%20s", CryoWire.sid(sid)).replace(' ', '0')),
					DUPLICATE);
			assertRefused(upgrade(TOKEN + "&x-cryo-sid=+" + CryoWire.sid(sid) + "+"), DUPLICATE);
			first.assertEchoes("still here");
		}
	}

	@Test
	@DisplayName("§2.3 order 6<7: an invalid token is reported before a duplicate sid")
	void tokenIsCheckedBeforeDuplicate() {
		long sid = randomSid();
		try (CryoTestClient first = connectReady(sid)) {
			assertRefused(upgrade("authorization=Bearer+nope&" + sidParam(sid)), INVALID_TOKEN);
			assertRefused(upgrade("authorization=Bearer+&" + sidParam(sid)), INVALID_TOKEN);
			first.assertEchoes("still here");
		}
	}

	@Test
	@DisplayName("§2.3 step 7: the sid is reserved at the upgrade, before any ENDPOINT_INFO")
	void sidIsReservedBeforeHandshake() {
		long sid = randomSid();
		try (CryoTestClient first = connect(sid)) {
			first.expectServerEndpointInfo();
			assertRefused(upgrade(TOKEN + "&" + sidParam(sid)), DUPLICATE);
		}
	}

	@Test
	@DisplayName("§2.3 step 7: after a BYE-ended session closes, its sid is reusable")
	void sidIsReusableAfterBye() {
		long sid = randomSid();
		try (CryoTestClient first = connectReady(sid)) {
			long ack = first.nextAck();
			first.send(CryoWire.bye(sid, ack, "bye"));
			first.expectAck(ack);
			assertThat(first.awaitClose().code()).isEqualTo(4000);
		}
		try (CryoTestClient second = CryoTestClient.connectReusingSid(this.port, sid)) {
			second.handshake();
			second.assertEchoes("again");
		}
	}

	@Test
	@DisplayName("§2.3 step 7 / §8.2: after a plain WebSocket close, its sid is reusable")
	void sidIsReusableAfterWebSocketClose() {
		long sid = randomSid();
		try (CryoTestClient first = connectReady(sid)) {
			first.sendClose(1000, "done");
			assertThat(first.awaitClose().code()).isEqualTo(1000);
		}
		try (CryoTestClient second = CryoTestClient.connectReusingSid(this.port, sid)) {
			second.handshake();
		}
	}

}
