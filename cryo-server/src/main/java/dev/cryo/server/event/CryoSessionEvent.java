package dev.cryo.server.event;

import org.springframework.context.ApplicationEvent;

import dev.cryo.server.CryoSession;

/** Base of every event about one Cryo session; the session is the event's source. */
public abstract class CryoSessionEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	protected CryoSessionEvent(CryoSession session) {
		super(session);
	}

	/**
	 * Returns the session the event is about.
	 * @return the session
	 */
	public CryoSession getSession() {
		return (CryoSession) getSource();
	}

	/**
	 * Returns the session the event is about; the same as {@link #getSession()}.
	 * @return the session
	 */
	public CryoSession session() {
		return getSession();
	}

}
