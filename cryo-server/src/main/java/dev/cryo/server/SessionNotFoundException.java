package dev.cryo.server;

import dev.cryo.core.SessionId;

/**
 * Fails the future of a send to one session by id when no node holds a session of that id, or the
 * node that held it no longer does by the time the message arrives.
 */
public class SessionNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final SessionId sessionId;

	/**
	 * Creates the exception.
	 * @param sessionId the id that was not found
	 */
	public SessionNotFoundException(SessionId sessionId) {
		super("No Cryo session " + sessionId + " is live");
		this.sessionId = sessionId;
	}

	/**
	 * Returns the id that was not found.
	 * @return the session id
	 */
	public SessionId sessionId() {
		return this.sessionId;
	}

}
