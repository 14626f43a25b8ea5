package dev.cryo.server.event;

import dev.cryo.server.CryoSession;

/**
 * A session left a group, once per membership lost: either {@link CryoSession#leave(String)}
 * removed it, on the thread that called {@code leave}, or the session ended while it was a
 * member ({@link #sessionEnded()}), whatever ended it. In the latter case one event per group
 * is published before the session's {@link CryoSessionClosedEvent}, on the thread that ended
 * it, so a listener always sees every membership end.
 */
public class CryoGroupLeftEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	private final String group;

	private final boolean sessionEnded;

	public CryoGroupLeftEvent(CryoSession session, String group, boolean sessionEnded) {
		super(session);
		this.group = group;
		this.sessionEnded = sessionEnded;
	}

	/**
	 * Returns the group the session left.
	 * @return the group name
	 */
	public String group() {
		return this.group;
	}

	/**
	 * Returns whether the membership ended because the session did, rather than through
	 * {@link CryoSession#leave(String)}.
	 * @return {@code true} if the session ended
	 */
	public boolean sessionEnded() {
		return this.sessionEnded;
	}

}
