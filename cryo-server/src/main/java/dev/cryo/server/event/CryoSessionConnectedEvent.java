package dev.cryo.server.event;

import dev.cryo.server.CryoSession;

/** A session is ready: the peer's ENDPOINT_INFO was accepted (cryo-v1.md §3). */
public class CryoSessionConnectedEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	public CryoSessionConnectedEvent(CryoSession session) {
		super(session);
	}

}
