package dev.cryo.server.event;

import dev.cryo.server.CryoSession;

/**
 * A session joined a group: {@link CryoSession#join(String)} added it. Published on the thread
 * that called {@code join}, once per membership gained; joining a group the session is in
 * already publishes nothing.
 */
public class CryoGroupJoinedEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	private final String group;

	public CryoGroupJoinedEvent(CryoSession session, String group) {
		super(session);
		this.group = group;
	}

	/**
	 * Returns the group the session joined.
	 * @return the group name
	 */
	public String group() {
		return this.group;
	}

}
