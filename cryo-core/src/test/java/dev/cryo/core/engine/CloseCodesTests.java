package dev.cryo.core.engine;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The close codes of cryo-v1.md §8.4 and the 123-byte limit of close reasons. */
class CloseCodesTests {

	@Test
	void codesAreThoseOfTheSpec() {
		assertThat(CloseCodes.GRACEFUL).isEqualTo(4000);
		assertThat(CloseCodes.CLIENT_ERROR).isEqualTo(4001);
		assertThat(CloseCodes.SERVER_ERROR).isEqualTo(4002);
		assertThat(CloseCodes.MESSAGE_TOO_BIG).isEqualTo(1009);
		assertThat(CloseCodes.MAX_REASON_BYTES).isEqualTo(123);
	}

	@Test
	void reasonThatFitsIsReturnedUnchanged() {
		String reason = "Disconnecting session due to not responding to ping frames.";
		assertThat(CloseCodes.truncateReason(reason)).isSameAs(reason);
		assertThat(CloseCodes.truncateReason("")).isEmpty();
	}

	@Test
	void asciiIsCutAt123Bytes() {
		assertThat(CloseCodes.truncateReason("a".repeat(123))).isEqualTo("a".repeat(123));
		assertThat(CloseCodes.truncateReason("a".repeat(124))).isEqualTo("a".repeat(123));
		assertThat(CloseCodes.truncateReason("a".repeat(10_000))).isEqualTo("a".repeat(123));
	}

	@Test
	void twoByteCharactersAreNeverSplit() {
		// 1 + 61 · 2 = 123 bytes: fits exactly.
		assertThat(CloseCodes.truncateReason("a" + "é".repeat(61))).isEqualTo("a" + "é".repeat(61));
		// 62 · 2 = 124 bytes: the last "é" would straddle the limit, so 122 bytes remain.
		assertThat(CloseCodes.truncateReason("é".repeat(62))).isEqualTo("é".repeat(61));
	}

	@Test
	void threeByteCharactersAreNeverSplit() {
		assertThat(CloseCodes.truncateReason("€".repeat(41))).isEqualTo("€".repeat(41));
		assertThat(CloseCodes.truncateReason("€".repeat(42))).isEqualTo("€".repeat(41));
		// 122 + 3 would be 125: one byte of room is left unused.
		assertThat(CloseCodes.truncateReason("a".repeat(122) + "€")).isEqualTo("a".repeat(122));
	}

	@Test
	void surrogatePairsAreNeverSplit() {
		assertThat(CloseCodes.truncateReason("abc" + "🚀".repeat(30))).isEqualTo("abc" + "🚀".repeat(30));
		// 4 + 30 · 4 = 124: the whole last rocket (two UTF-16 units) goes, not half of it.
		assertThat(CloseCodes.truncateReason("abcd" + "🚀".repeat(30))).isEqualTo("abcd" + "🚀".repeat(29));
		assertThat(CloseCodes.truncateReason("🚀".repeat(31))).isEqualTo("🚀".repeat(30));
	}

	@Test
	void mixedTextIsCutAtTheLastWholeCharacter() {
		// "héllo ✓ 🚀" is 15 bytes; 8 copies are 120, then "h" (121) and "é" (123) still fit, "l" does not.
		String sample = "héllo ✓ 🚀";
		assertThat(CloseCodes.truncateReason(sample.repeat(9))).isEqualTo(sample.repeat(8) + "hé");
	}

	@Test
	void resultIsTheLongestWholeCharacterPrefixThatFits() {
		// Seeded, so a failure can be reproduced; code points of every UTF-8 length.
		Random random = new Random(20_240_601);
		int[] samples = { 'a', '~', 'é', 'ߐ', '€', '\uFFFD', 0x1F680, 0x10FFFF };
		for (int run = 0; run < 2_000; run++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(130);
			for (int i = 0; i < length; i++) {
				text.appendCodePoint(samples[random.nextInt(samples.length)]);
			}
			String reason = text.toString();
			String truncated = CloseCodes.truncateReason(reason);
			int bytes = utf8Length(truncated);
			assertThat(reason).as(reason).startsWith(truncated);
			assertThat(bytes).as(reason).isLessThanOrEqualTo(123);
			if (truncated.length() < reason.length()) {
				assertThat(Character.isLowSurrogate(reason.charAt(truncated.length()))).as(reason).isFalse();
				int next = reason.codePointAt(truncated.length());
				assertThat(bytes + utf8Length(Character.toString(next))).as(reason).isGreaterThan(123);
			}
		}
	}

	private static int utf8Length(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

}
