package dev.cryo.server.observer;

/**
 * Why an upgrade was refused, with the message of cryo-v1.md §2.3 that the 401 body carries
 * (503 bodies have the same shape; the 403 of a foreign origin has none, §2.5).
 */
public enum UpgradeRefusal {

	/** No {@code authorization} parameter (or header), or an empty one. */
	NO_AUTH_DATA("No auth data supplied."),

	/** The value does not start with {@code Bearer } (capital B, one space). */
	INCORRECT_AUTH_TYPE("Incorrect type of auth data supplied."),

	/**
	 * Empty token, or the authenticator refused it (its message replaces this one in the body),
	 * threw, or failed its stage.
	 */
	INVALID_TOKEN("Invalid bearer token in authorization query."),

	/** The authenticator did not decide within {@code cryo.authentication.timeout}. */
	AUTHENTICATION_TIMEOUT("Authentication timed out."),

	/**
	 * The authenticator's pool is busy and its queue full ({@code cryo.authentication.max-threads}
	 * and {@code queue-capacity}): 503, try again later.
	 */
	AUTHENTICATION_OVERLOADED(503, "Service Unavailable", "Too many authentications in progress."),

	/** No {@code x-cryo-sid} parameter, or an empty one. */
	NO_SID("No SID supplied."),

	/** The sid is not 1–20 decimal digits with a value below 2^64. */
	INVALID_SID("Invalid SID supplied."),

	/** A live session already has this sid. */
	DUPLICATE_SID("The session already exists."),

	/** {@code cryo.max-sessions} sessions are live: 503, try again later. */
	TOO_MANY_SESSIONS(503, "Service Unavailable", "Too many sessions."),

	/** The server is shutting down: 503. */
	SHUTTING_DOWN(503, "Service Unavailable", "The server is shutting down."),

	/**
	 * A browser page's {@code Origin} is neither the server's own nor an allowed one
	 * (cryo-v1.md §2.5): 403 with an empty body, checked before anything else. The message is
	 * for logs only.
	 */
	ORIGIN(403, "Forbidden", "Origin not allowed.");

	private final int status;

	private final String statusText;

	private final String message;

	UpgradeRefusal(String message) {
		this(401, "Unauthorized", message);
	}

	UpgradeRefusal(int status, String statusText, String message) {
		this.status = status;
		this.statusText = statusText;
		this.message = message;
	}

	/**
	 * Returns the HTTP status of the refusal: 401 for the authentication and session-id checks
	 * of cryo-v1.md §2.3, 403 for a foreign origin (§2.5), 503 when the server cannot take a
	 * session now.
	 * @return the status code
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Returns the reason phrase of the status, as the body's heading shows it.
	 * @return e.g. {@code Unauthorized}
	 */
	public String statusText() {
		return this.statusText;
	}

	/**
	 * Returns the message of the refusal body.
	 * @return the message
	 */
	public String message() {
		return this.message;
	}

}
