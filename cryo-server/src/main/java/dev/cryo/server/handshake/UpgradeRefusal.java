package dev.cryo.server.handshake;

/** Why an upgrade was refused, with the message of cryo-v1.md §2.3 that the 401 body carries. */
public enum UpgradeRefusal {

	/** No {@code authorization} parameter (or header), or an empty one. */
	NO_AUTH_DATA("No auth data supplied."),

	/** The value does not start with {@code Bearer } (capital B, one space). */
	INCORRECT_AUTH_TYPE("Incorrect type of auth data supplied."),

	/** Empty token, or the validator said no, threw, or did not answer. */
	INVALID_TOKEN("Invalid bearer token in authorization query."),

	/** No {@code x-cryo-sid} parameter, or an empty one. */
	NO_SID("No SID supplied."),

	/** The sid is not 1–20 decimal digits with a value below 2^64. */
	INVALID_SID("Invalid SID supplied."),

	/** A live session already has this sid. */
	DUPLICATE_SID("The session already exists.");

	private final String message;

	UpgradeRefusal(String message) {
		this.message = message;
	}

	/**
	 * Returns the message of the refusal body.
	 * @return the message
	 */
	public String message() {
		return this.message;
	}

}
