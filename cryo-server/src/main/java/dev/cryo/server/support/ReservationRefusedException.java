package dev.cryo.server.support;

/**
 * The registry takes no new session: it is at its session limit, or the server is shutting
 * down. A duplicate session id is not exceptional and is reported by a {@code null}
 * reservation instead.
 */
public final class ReservationRefusedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Why the registry refused. */
	public enum Reason {

		/** {@code cryo.max-sessions} sessions are live or being opened. */
		AT_CAPACITY,

		/** The server is shutting down and accepts no new sessions. */
		NOT_ACCEPTING

	}

	private final Reason reason;

	ReservationRefusedException(Reason reason) {
		super((reason == Reason.AT_CAPACITY) ? "Session limit reached" : "Server is shutting down", null, false, false);
		this.reason = reason;
	}

	/**
	 * Returns why the reservation was refused.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

}
