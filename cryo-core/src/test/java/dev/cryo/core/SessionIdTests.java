package dev.cryo.core;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SessionIdTests {

	private static final UUID UUID_A = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

	@Test
	void numericIdsReadUnsigned() {
		SessionId max = SessionId.of(-1L);
		assertThat(max.isNumeric()).isTrue();
		assertThat(max.asLong()).isEqualTo(-1L);
		assertThat(max).hasToString("18446744073709551615");
		assertThat(max.byteLength()).isEqualTo(8);
	}

	@Test
	void uuidIdsReadCanonical() {
		SessionId id = SessionId.of(UUID_A);
		assertThat(id.isNumeric()).isFalse();
		assertThat(id.asUuid()).isEqualTo(UUID_A);
		assertThat(id).hasToString("0f8fad5b-d9cb-469f-a165-70867728950e");
		assertThat(id.byteLength()).isEqualTo(16);
	}

	@Test
	void equalityIsByFormAndBits() {
		assertThat(SessionId.of(42)).isEqualTo(SessionId.of(42)).hasSameHashCodeAs(SessionId.of(42));
		assertThat(SessionId.of(42)).isNotEqualTo(SessionId.of(43));
		assertThat(SessionId.of(UUID_A)).isEqualTo(SessionId.of(UUID.fromString(UUID_A.toString())));
		assertThat(SessionId.of(0)).isNotEqualTo(SessionId.of(new UUID(0, 0)));
	}

	@Test
	void theOtherFormsAccessorFails() {
		assertThatIllegalStateException().isThrownBy(() -> SessionId.of(7).asUuid()).withMessageContaining("7");
		assertThatIllegalStateException().isThrownBy(() -> SessionId.of(UUID_A).asLong())
			.withMessageContaining(UUID_A.toString());
	}

	@Test
	void orderIsUnsignedNumbersThenUuids() {
		List<SessionId> ids = new ArrayList<>(List.of(SessionId.of(UUID_A), SessionId.of(-1L), SessionId.of(1),
				SessionId.of(Long.MAX_VALUE)));
		ids.sort(null);
		assertThat(ids).containsExactly(SessionId.of(1), SessionId.of(Long.MAX_VALUE), SessionId.of(-1L),
				SessionId.of(UUID_A));
	}

}
