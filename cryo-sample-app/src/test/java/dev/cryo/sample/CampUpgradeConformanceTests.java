package dev.cryo.sample;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.DialectPeer.Kind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the sample app, in its own configuration, tells a CAMP client at the upgrade (camp.md §1
 * [PROJECT], cryo-v1.md §2.5): the {@code camp} offer or the sid in {@code x-camp-sid} /
 * {@code x-CAMP-sid}, the subprotocol answered only when offered, the refusals of §2.3 with
 * CAMP's own sid parameters, one sid registry for both protocols, and the Origin check that comes
 * before everything (the sample allows same-origin pages only, so camp-client-browser is served
 * from a page of the server's own origin).
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("CAMP at the upgrade — camp.md §1 on the sample's /cryo")
class CampUpgradeConformanceTests extends ConformanceSupport {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "x-CAMP-sid", "x-camp-sid" })
	@DisplayName("camp.md §1 rules 1, 3: the sid in x-CAMP-sid or x-camp-sid without an offer: 101 without "
			+ "Sec-WebSocket-Protocol")
	void campSidParameterWithoutOffer(String parameter) {
		RawHttp.Response response = upgrade(TOKEN + "&" + parameter + "=" + CryoWire.sid(randomSid()));
		assertThat(response.status()).as("%s", response).isEqualTo(101);
		assertThat(response.header("Sec-WebSocket-Protocol")).isNull();
	}

	@ParameterizedTest(name = "offer: {0}")
	@ValueSource(strings = { "camp", "foo, camp", "camp, cryo" })
	@DisplayName("camp.md §1 rule 3: an offer that contains camp is answered with Sec-WebSocket-Protocol: camp, "
			+ "never with another offered value")
	void campOfferIsAnswered(String offer) {
		RawHttp.Response response = upgrade(TOKEN + "&x-camp-sid=" + CryoWire.sid(randomSid()),
				Map.of("Sec-WebSocket-Protocol", offer));
		assertThat(response.status()).as("%s", response).isEqualTo(101);
		assertThat(response.header("Sec-WebSocket-Protocol")).isEqualTo("camp");
	}

	@Test
	@DisplayName("camp.md §1 rule 2: the §2.3 refusals with CAMP's parameters — no sid, an unparsable sid, "
			+ "no token — with the Cryo messages")
	void campRefusals() {
		assertRefused(upgrade(TOKEN + "&x-cryo-sid=" + CryoWire.sid(randomSid()), Map.of("Sec-WebSocket-Protocol", "camp")),
				NO_SID);
		assertRefused(upgrade(TOKEN + "&x-CAMP-sid=not-a-number"), INVALID_SID);
		assertRefused(upgrade(TOKEN + "&x-camp-sid=18446744073709551616"), INVALID_SID);
		assertRefused(upgrade("x-CAMP-sid=" + CryoWire.sid(randomSid())), NO_AUTH);
		assertRefused(upgrade("authorization=Bearer+nope&x-CAMP-sid=" + CryoWire.sid(randomSid())), INVALID_TOKEN);
	}

	@Test
	@DisplayName("camp.md §1 rule 5: Cryo v1 and CAMP share one sid registry — a live session's sid is refused in "
			+ "the other protocol with 401 The session already exists.")
	void oneSidRegistryForBothProtocols() {
		try (DialectPeer v1 = DialectPeer.open(this.port, Kind.CRYO_V1);
				DialectPeer camp = DialectPeer.open(this.port, Kind.CAMP_NODE)) {
			assertRefused(upgrade(TOKEN + "&x-CAMP-sid=" + CryoWire.sid(v1.sid)), DUPLICATE);
			assertRefused(upgrade(TOKEN + "&x-cryo-sid=" + CryoWire.sid(camp.sid)), DUPLICATE);
			v1.echo("still here");
			camp.echo("still here");
		}
	}

	@Test
	@DisplayName("cryo-v1.md §2.5: a browser page of the server's own origin is served; another origin is refused "
			+ "with 403 and an empty body before any other check (the sample lists no cryo.allowed-origins)")
	void browserOrigins() {
		String query = TOKEN + "&x-CAMP-sid=" + CryoWire.sid(randomSid());
		RawHttp.Response sameOrigin = upgrade(query, Map.of("Origin", "http://127.0.0.1:" + this.port));
		assertThat(sameOrigin.status()).as("%s", sameOrigin).isEqualTo(101);
		RawHttp.Response foreign = upgrade(query, Map.of("Origin", "https://app.example.com"));
		assertThat(foreign.status()).as("%s", foreign).isEqualTo(403);
		assertThat(foreign.bodyBytes()).isEmpty();
		// Before the §2.3 checks: even without a token the answer is 403.
		assertThat(upgrade("x-CAMP-sid=1", Map.of("Origin", "https://app.example.com")).status()).isEqualTo(403);
	}

	@Test
	@DisplayName("camp.md §4: the client's 13-byte ping is answered with a 13-byte pong, its pong is not answered")
	void campPingPong() {
		try (DialectPeer peer = DialectPeer.open(this.port, Kind.CAMP_BROWSER)) {
			peer.wire.send(CryoWire.campPing(peer.sid));
			CryoWire.Frame pong = peer.expect((frame) -> frame.is(CryoWire.PING_PONG), "the pong");
			assertThat(pong.hex()).isEqualTo(CryoWire.hex(CryoWire.campPong(peer.sid)));
			peer.wire.send(CryoWire.campPong(peer.sid));
			peer.expectNone((frame) -> frame.is(CryoWire.PING_PONG), "an answer to a pong", DialectPeer.QUIET);
			peer.echo("after ping and pong");
		}
	}

}
