package dev.cryo.core.dialect;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The v1 rules for {@code x-cryo-sid} (cryo-v1.md §2.3 step 5), now answered with a
 * {@link SessionId}.
 */
class DecimalSessionIdsTests {

	@Test
	void unsignedDecimalsUpToTwoToTheSixtyFourMinusOneAreNumericIds() {
		assertThat(DecimalSessionIds.parse("0")).contains(SessionId.of(0));
		assertThat(DecimalSessionIds.parse(" 42\t")).contains(SessionId.of(42));
		assertThat(DecimalSessionIds.parse("18446744073709551615")).contains(SessionId.of(-1L));
		assertThat(DecimalSessionIds.parse("00000000000000000042")).contains(SessionId.of(42));
	}

	@Test
	void everythingElseIsRefused() {
		assertThat(DecimalSessionIds.parse("")).isEmpty();
		assertThat(DecimalSessionIds.parse("   ")).isEmpty();
		assertThat(DecimalSessionIds.parse("18446744073709551616")).isEmpty();
		assertThat(DecimalSessionIds.parse("000000000000000000042")).isEmpty();
		assertThat(DecimalSessionIds.parse("+1")).isEmpty();
		assertThat(DecimalSessionIds.parse("-1")).isEmpty();
		assertThat(DecimalSessionIds.parse("0x2a")).isEmpty();
		assertThat(DecimalSessionIds.parse("1e3")).isEmpty();
		assertThat(DecimalSessionIds.parse("123e4567-e89b-12d3-a456-426614174000")).isEmpty();
	}

}
