package dev.cryo.core.dialect.legacy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.SessionPolicy.TransactionFlavour;
import dev.cryo.core.dialect.UpgradeChecks;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.frame.FrameType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Recognition, sid parsing and the policy of the legacy dialect (legacy-v0.md §4, §5, §10.1,
 * §10.5, §10.7).
 */
class LegacyDialectTests {

	private final LegacyDialect dialect = LegacyDialect.INSTANCE;

	@ParameterizedTest
	@ValueSource(strings = { "123e4567-e89b-42d3-a456-426614174000", "123E4567-E89B-42D3-A456-426614174000",
			"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff" })
	void recognisesAUuidSid(String sid) {
		assertThat(this.dialect.recognises(request(sid))).isTrue();
		assertThat(this.dialect.parseSessionId(sid))
			.contains(SessionId.of(UUID.fromString(sid.toLowerCase(java.util.Locale.ROOT))));
	}

	@ParameterizedTest
	@ValueSource(strings = { "42", "18446744073709551615", "123e4567e89b42d3a456426614174000",
			"123e4567-e89b-42d3-a456-42661417400", "123e4567-e89b-42d3-a456-4266141740000",
			"123e4567-e89b-42d3-a456_426614174000", "123e4567-e89b-42d3-a456-42661417400g",
			" 23e4567-e89b-42d3-a456-426614174000", "1-2-3-4-5", "+23e4567-e89b-42d3-a456-426614174000",
			"123e4567-e89b-42d3-a456-42661417400\u0663", "{23e4567-e89b-42d3-a456-42661417400}", "" })
	void refusesEverythingElse(String sid) {
		assertThat(this.dialect.recognises(request(sid))).isFalse();
		assertThat(this.dialect.parseSessionId(sid)).isEmpty();
	}

	@Test
	void looksAtXCryoSidOnly() {
		String uuid = "123e4567-e89b-42d3-a456-426614174000";
		assertThat(this.dialect.recognises(new UpgradeRequest(List.of(), Map.of("x-camp-sid", List.of(uuid)))))
			.isFalse();
		assertThat(this.dialect.recognises(new UpgradeRequest(List.of(), Map.of()))).isFalse();
		assertThat(this.dialect.sessionIdParameters()).containsExactly("x-cryo-sid");
	}

	@Test
	void sidIsNormalisedToLowerCase() {
		SessionId sid = this.dialect.parseSessionId("123E4567-E89B-42D3-A456-426614174ABC").orElseThrow();
		assertThat(sid.toString()).isEqualTo("123e4567-e89b-42d3-a456-426614174abc");
	}

	@Test
	void policyOfTheGenerationWithoutCale() {
		assertThat(this.dialect.name()).isEqualTo("legacy-v0");
		assertThat(this.dialect.codec()).isSameAs(LegacyCodec.INSTANCE);
		assertThat(this.dialect.policy().openingFrame(SessionId.of(UUID.randomUUID()))).isNull();
		assertThat(this.dialect.policy().awaitsPeerOpening()).isFalse();
		assertThat(this.dialect.policy().pingCarriesAck()).isTrue();
		assertThat(this.dialect.policy().hasGoodbye()).isFalse();
		assertThat(this.dialect.policy().transactions()).isEqualTo(TransactionFlavour.NONE);
		assertThat(this.dialect.newMessageTransform()).isNull();
		assertThat(this.dialect.upgradeChecks()).isEqualTo(UpgradeChecks.LEGACY_V0);
		assertThat(this.dialect.subprotocols()).isEmpty();
		for (FrameType type : FrameType.values()) {
			assertThat(this.dialect.policy().isTracked(type)).as(type.toString())
				.isEqualTo(type == FrameType.UTF8DATA || type == FrameType.BINARYDATA);
		}
	}

	@Test
	void upgradeChecksOfTheTwoGenerations() {
		assertThat(UpgradeChecks.LEGACY_V0.duplicateBeforeToken()).isTrue();
		assertThat(UpgradeChecks.LEGACY_V0.nonBearerIsMissing()).isTrue();
		assertThat(UpgradeChecks.CRYO_V1.duplicateBeforeToken()).isFalse();
		assertThat(UpgradeChecks.CRYO_V1.nonBearerIsMissing()).isFalse();
	}

	private static UpgradeRequest request(String sid) {
		return new UpgradeRequest(List.of(), Map.of("x-cryo-sid", List.of(sid)));
	}

	@Test
	void calePathsChooseTheEncryptingVariantWithTheSameName() {
		LegacyDialect dialect = LegacyDialect.withCalePaths(List.of("/cryo-cale"), Duration.ofSeconds(60));
		UpgradeRequest onCalePath = new UpgradeRequest("/cryo-cale", List.of(), Map.of());
		UpgradeRequest elsewhere = new UpgradeRequest("/cryo", List.of(), Map.of());
		CryoDialect cale = dialect.variantFor(onCalePath);
		assertThat(dialect.variantFor(elsewhere)).isSameAs(dialect);
		assertThat(cale).isNotSameAs(dialect).isInstanceOf(LegacyDialect.class);
		assertThat(cale.name()).isEqualTo(dialect.name());
		assertThat(((LegacyDialect) cale).encrypts()).isTrue();
		assertThat(dialect.encrypts()).isFalse();
		// The CALE session waits for its handshake, sends nothing before it, and takes 28 more bytes (§10.3-§10.4).
		assertThat(cale.policy().awaitsPeerOpening()).isTrue();
		assertThat(cale.policy().sendsWhileOpening()).isFalse();
		assertThat(cale.maxMessageLength()).isEqualTo(16_777_265);
		assertThat(cale.newMessageTransform()).isNotNull();
		assertThat(dialect.maxMessageLength()).isEqualTo(16_777_237);
		assertThat(dialect.newMessageTransform()).isNull();
		assertThat(LegacyDialect.INSTANCE.variantFor(onCalePath)).isSameAs(LegacyDialect.INSTANCE);
	}

	@ParameterizedTest
	@ValueSource(ints = { 4010, 4011, 1002 })
	void caleFailuresBlockTheSid(int code) {
		LegacyDialect dialect = LegacyDialect.withCalePaths(List.of(), Duration.ofSeconds(42));
		assertThat(dialect.sessionIdBlock(code)).isEqualTo(Duration.ofSeconds(42));
		assertThat(LegacyDialect.INSTANCE.sessionIdBlock(code)).isEqualTo(Duration.ofSeconds(60));
	}

	@ParameterizedTest
	@ValueSource(ints = { 1000, 1001, 1006, 1009, 4000, 4001, 4002 })
	void otherClosesDoNotBlockTheSid(int code) {
		assertThat(LegacyDialect.INSTANCE.sessionIdBlock(code)).isZero();
	}

	@Test
	void reconnectProbeIsConfigurable() {
		assertThat(LegacyDialect.INSTANCE.reconnectProbe()).isEqualTo(Duration.ofSeconds(3));
		LegacyDialect dialect = LegacyDialect.withCalePaths(List.of("/c"), Duration.ZERO)
			.withReconnectProbe(Duration.ofMillis(500));
		assertThat(dialect.reconnectProbe()).isEqualTo(Duration.ofMillis(500));
		// The encrypting variant keeps the settings of the dialect it came from.
		CryoDialect cale = dialect.variantFor(new UpgradeRequest("/c", List.of(), Map.of()));
		assertThat(cale.reconnectProbe()).isEqualTo(Duration.ofMillis(500));
		assertThat(cale.sessionIdBlock(4011)).isZero();
		assertThatIllegalArgumentException().isThrownBy(() -> dialect.withReconnectProbe(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LegacyDialect.withCalePaths(List.of(), Duration.ofSeconds(-1)));
	}

}
