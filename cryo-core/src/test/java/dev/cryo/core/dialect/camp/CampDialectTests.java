package dev.cryo.core.dialect.camp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.SessionPolicy.TransactionFlavour;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.Hex;
import dev.cryo.core.frame.TransactionLayout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a CAMP connection is recognised at the upgrade and what the dialect answers with
 * (camp.md §1, rules 1–3): the {@code camp} subprotocol or exactly the spellings
 * {@code x-camp-sid} and {@code x-CAMP-sid}, and the subprotocol only when it was offered.
 */
class CampDialectTests {

	private static final CampDialect CAMP = CampDialect.INSTANCE;

	@Test
	void offeringTheCampSubprotocolIsCamp() {
		assertThat(CAMP.recognises(request(List.of("camp"), Map.of()))).isTrue();
		assertThat(CAMP.recognises(request(List.of("foo", "camp"), Map.of("x-cryo-sid", "1")))).isTrue();
	}

	@Test
	void theSpecificationsSidParameterIsCamp() {
		assertThat(CAMP.recognises(request(List.of(), Map.of("x-camp-sid", "1")))).isTrue();
	}

	@Test
	void theReferenceSpellingOfTheSidParameterIsCamp() {
		// camp-server and both published clients spell it x-CAMP-sid and offer no subprotocol.
		assertThat(CAMP.recognises(request(List.of(), Map.of("x-CAMP-sid", "13823382369993861266")))).isTrue();
	}

	@Test
	void anEmptyCampSidStillMakesTheConnectionCamp() {
		// Rule 1 looks at the parameter's presence; rule 2 then refuses the empty sid with 401.
		assertThat(CAMP.recognises(request(List.of(), Map.of("x-CAMP-sid", "")))).isTrue();
	}

	@Test
	void aCryoSidAloneIsNotCamp() {
		// Also the oldest camp-client-node build, which cannot be told from a Cryo v1 client (§1).
		assertThat(CAMP.recognises(request(List.of(), Map.of("x-cryo-sid", "1")))).isFalse();
		assertThat(CAMP.recognises(request(List.of(), Map.of("x-cryo-sid", "123e4567-e89b-12d3-a456-426614174000"))))
			.isFalse();
		assertThat(CAMP.recognises(request(List.of(), Map.of()))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "X-Camp-Sid", "X-CAMP-SID", "x-Camp-sid", "X-camp-sid", "x-camp-SID", "x-CAMP-SID",
			"x_camp_sid", "x-camp-sid ", "camp-sid" })
	void otherSpellingsAreNotCamp(String parameter) {
		assertThat(CAMP.recognises(request(List.of(), Map.of(parameter, "1")))).isFalse();
	}

	@Test
	void otherSubprotocolsAreNotCamp() {
		assertThat(CAMP.recognises(request(List.of("foo", "cryo"), Map.of("x-cryo-sid", "1")))).isFalse();
		assertThat(CAMP.recognises(request(List.of("camp2", "xcamp"), Map.of()))).isFalse();
	}

	@Test
	void campIsSelectedOnlyWhenOffered() {
		assertThat(CAMP.subprotocols()).containsExactly("camp");
		assertThat(CAMP.selectSubprotocol(request(List.of("camp"), Map.of()))).isEqualTo("camp");
		assertThat(CAMP.selectSubprotocol(request(List.of("foo", "camp"), Map.of()))).isEqualTo("camp");
		// Rule 3: a value the client did not offer is never selected; the published clients offer nothing.
		assertThat(CAMP.selectSubprotocol(request(List.of(), Map.of("x-CAMP-sid", "1")))).isNull();
		assertThat(CAMP.selectSubprotocol(request(List.of("foo"), Map.of("x-camp-sid", "1")))).isNull();
	}

	@Test
	void sidIsReadFromTheSpecificationsParameterFirstAndNeverFromXCryoSid() {
		assertThat(CAMP.sessionIdParameters()).containsExactly("x-camp-sid", "x-CAMP-sid");
		assertThat(CAMP.sessionIdParameters()).doesNotContain("x-cryo-sid");
	}

	@Test
	void sidIsAnUnsignedDecimal() {
		assertThat(CAMP.parseSessionId("13823382369993861266")).contains(SessionId.of(Long.parseUnsignedLong("13823382369993861266")));
		assertThat(CAMP.parseSessionId("123e4567-e89b-12d3-a456-426614174000")).isEmpty();
		assertThat(CAMP.parseSessionId("-1")).isEmpty();
	}

	@Test
	void openingFrameIsTheEndpointInfoOfTheVectors() {
		Frame opening = CAMP.openingFrame(SessionId.of(0));
		assertThat(opening).isNotNull();
		assertThat(Hex.of(CAMP.codec().encode(opening, 0)))
			.isEqualTo("0000000000000000ff00000000000000010000000000000001");
	}

	@Test
	void sessionsUseTheCampCodecAndLayout() {
		assertThat(CAMP.name()).isEqualTo("camp");
		assertThat(CAMP.codec()).isSameAs(CampCodec.INSTANCE);
		assertThat(CAMP.policy().pingCarriesAck()).isFalse();
		assertThat(CAMP.policy().transactions()).isEqualTo(TransactionFlavour.PER_TRANSACTION);
		assertThat(CAMP.policy().opensWithoutAnnouncement()).isTrue();
		for (TransactionLayout configured : TransactionLayout.values()) {
			assertThat(CAMP.policy().initialLayout(configured)).isEqualTo(TransactionLayout.CAMP);
		}
	}

	private static UpgradeRequest request(List<String> subprotocols, Map<String, String> query) {
		Map<String, List<String>> parameters = new HashMap<>();
		query.forEach((name, value) -> parameters.put(name, List.of(value)));
		return new UpgradeRequest(subprotocols, parameters);
	}

}
