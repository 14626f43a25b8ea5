package dev.cryo.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link LogText}: every character class a log reader would not see as itself is escaped, and
 * peer text is cut to a bounded length with a marker of how much was cut.
 */
class LogTextTests {

	@Test
	void plainTextOfEveryScriptIsKept() {
		assertThat(LogText.escape("done")).isEqualTo("done");
		assertThat(LogText.escape("héllo ✓ Ω 日本語 ½ €")).isEqualTo("héllo ✓ Ω 日本語 ½ €");
		assertThat(LogText.escape("")).isEmpty();
	}

	@Test
	void lineBreaksAndTabsAreEscapedSoThatNoLineCanBeForged() {
		String forged = "bye\n2026-01-01T00:00:00.000Z ERROR 1 --- [main] x.Admin : admin login OK";
		assertThat(LogText.escape(forged)).doesNotContain("\n")
			.isEqualTo("bye\\n2026-01-01T00:00:00.000Z ERROR 1 --- [main] x.Admin : admin login OK");
		assertThat(LogText.escape("a\r\nb\tc")).isEqualTo("a\\r\\nb\\tc");
	}

	@Test
	void theBackslashIsEscapedSoThatAnEscapeAlwaysMeansOneInTheInput() {
		assertThat(LogText.escape("a\\nb")).isEqualTo("a\\\\nb");
		assertThat(LogText.escape("a\nb")).isNotEqualTo(LogText.escape("a\\nb"));
	}

	@Test
	void everyOtherC0ControlAndDelAreEscaped() {
		for (char c = 0; c < 0x20; c++) {
			if (c != '\n' && c != '\r' && c != '\t') {
				assertThat(LogText.escape("<" + c + ">")).as("U+%04X", (int) c).isEqualTo("<\\u%04x>".formatted((int) c));
			}
		}
		assertThat(LogText.escape("\u007f")).isEqualTo("\\u007f");
	}

	@Test
	void escapeSequencesCannotReachATerminal() {
		String colour = (char) 0x1b + "[31mred" + (char) 0x1b + "[0m";
		assertThat(LogText.escape(colour)).isEqualTo("\\u001b[31mred\\u001b[0m");
	}

	@Test
	void c1ControlsAreEscaped() {
		for (char c = 0x80; c < 0xa0; c++) {
			assertThat(LogText.escape(String.valueOf(c))).as("U+%04X", (int) c).isEqualTo("\\u%04x".formatted((int) c));
		}
		// NEL, which some readers take for a line break.
		assertThat(LogText.escape("a\u0085b")).isEqualTo("a\\u0085b");
	}

	@Test
	void unicodeLineAndParagraphSeparatorsAreEscaped() {
		assertThat(LogText.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
	}

	@Test
	void formatCharactersSuchAsBidiOverridesAndZeroWidthSpacesAreEscaped() {
		assertThat(LogText.escape("user\u202egnp.exe")).isEqualTo("user\\u202egnp.exe");
		assertThat(LogText.escape("ad\u200bmin")).isEqualTo("ad\\u200bmin");
		assertThat(LogText.escape("\ufeffbom")).isEqualTo("\\ufeffbom");
	}

	@Test
	void unassignedCodePointsAndNoncharactersAreEscaped() {
		assertThat(LogText.escape("\uffff")).isEqualTo("\\uffff");
		assertThat(LogText.escape("\u0378")).isEqualTo("\\u0378");
	}

	@Test
	void surrogatePairsOfVisibleCharactersAreKept() {
		assertThat(LogText.escape("launch 🚀 ok")).isEqualTo("launch 🚀 ok");
		assertThat(LogText.escape("𝄞")).isEqualTo("𝄞");
	}

	@Test
	void loneSurrogatesAreEscaped() {
		assertThat(LogText.escape("a\ud83db")).isEqualTo("a\\ud83db");
		assertThat(LogText.escape("a\ude80b")).isEqualTo("a\\ude80b");
		assertThat(LogText.escape("end\ud83d")).isEqualTo("end\\ud83d");
		// Low before high is two lone surrogates, not a pair.
		assertThat(LogText.escape("\ude80\ud83d")).isEqualTo("\\ude80\\ud83d");
	}

	@Test
	void invisibleSupplementaryCharactersAreEscapedAsTheirSurrogates() {
		// U+E0001 LANGUAGE TAG is a format character outside the BMP.
		assertThat(LogText.escape(new String(Character.toChars(0xE0001)))).isEqualTo("\\udb40\\udc01");
	}

	@Test
	void longTextIsCutWithAMarkerOfHowMuchWasCut() {
		String name = "x".repeat(1024 * 1024);
		String escaped = LogText.escape(name);
		assertThat(escaped).isEqualTo("x".repeat(256) + "[... " + (1024 * 1024 - 256) + " more chars]");
		assertThat(LogText.escape("abcdef", 3)).isEqualTo("abc[... 3 more chars]");
	}

	@Test
	void textThatFitsExactlyIsNotCut() {
		assertThat(LogText.escape("abc", 3)).isEqualTo("abc");
		assertThat(LogText.escape("x".repeat(256))).isEqualTo("x".repeat(256));
	}

	@Test
	void theLimitCountsEscapedCharactersAndNeverSplitsAnEscape() {
		// "\n" takes two characters: with room for three, "a" and "\n" fit, the second "\n" does not.
		assertThat(LogText.escape("a\n\nb", 3)).isEqualTo("a\\n[... 2 more chars]");
		// A unicode escape takes six characters: it goes whole or not at all.
		assertThat(LogText.escape("ab" + (char) 0x1b + "c", 7)).isEqualTo("ab[... 2 more chars]");
		assertThat(LogText.escape("ab" + (char) 0x1b + "c", 8)).isEqualTo("ab\\u001b[... 1 more chars]");
	}

	@Test
	void aSurrogatePairIsNeverSplitByTheCut() {
		assertThat(LogText.escape("a🚀", 2)).isEqualTo("a[... 2 more chars]");
		assertThat(LogText.escape("a🚀", 3)).isEqualTo("a🚀");
	}

	@Test
	void aZeroLimitWritesOnlyTheMarker() {
		assertThat(LogText.escape("abc", 0)).isEqualTo("[... 3 more chars]");
		assertThat(LogText.escape("", 0)).isEmpty();
	}

	@Test
	void aNegativeLimitIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> LogText.escape("abc", -1))
			.withMessageContaining("maxChars");
	}

	@Test
	void nullIsWrittenAsNull() {
		assertThat(LogText.escape(null)).isEqualTo("null");
	}

	@Test
	void anyCharSequenceIsAccepted() {
		assertThat(LogText.escape(new StringBuilder("a\nb"))).isEqualTo("a\\nb");
	}

}
