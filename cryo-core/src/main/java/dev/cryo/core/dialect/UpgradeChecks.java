package dev.cryo.core.dialect;

/**
 * The order and wording of the upgrade checks a server runs for a dialect, after the Origin
 * check and once the dialect is chosen. All refusals are 401 with the body of cryo-v1.md §2.4;
 * the dialects differ in when the duplicate-sid check runs and in how a value that is not a
 * bearer token is named.
 */
public enum UpgradeChecks {

	/**
	 * cryo-v1.md §2.3, shared by CAMP: authorization present, {@code Bearer } prefix (else
	 * "Incorrect type of auth data supplied."), token not empty, sid present and valid, token
	 * valid, and only then the duplicate check, so that an unauthenticated caller cannot probe
	 * which numeric ids are live.
	 */
	CRYO_V1,

	/**
	 * The legacy 2.x server's order (legacy-v0.md §10.1 rule 4): authorization present and
	 * starting with {@code Bearer } (both refused with "No auth data supplied."), sid present,
	 * the duplicate check, and the token last (an empty one included). Checking the duplicate
	 * first reveals nothing useful: version-4 UUIDs cannot be guessed.
	 */
	LEGACY_V0;

	/**
	 * Returns whether a live (reserved) sid is refused before the token is validated.
	 * @return {@code true} for {@link #LEGACY_V0}
	 */
	public boolean duplicateBeforeToken() {
		return this == LEGACY_V0;
	}

	/**
	 * Returns whether a value without the {@code Bearer } prefix is refused as if no auth data
	 * had been supplied, rather than as an incorrect type of auth data.
	 * @return {@code true} for {@link #LEGACY_V0}
	 */
	public boolean nonBearerIsMissing() {
		return this == LEGACY_V0;
	}

}
