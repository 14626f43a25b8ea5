package dev.cryo.server.event;

import dev.cryo.server.CryoSession;

/**
 * A session is ready, once: the peer's ENDPOINT_INFO was accepted (cryo-v1.md §3 rule 3), or a
 * peer that sends none showed that it never will (§3 rule 9, camp.md §8 rule 2: a message or
 * transaction before any ENDPOINT_INFO, a second after it ACKed ours, or at the ENDPOINT_INFO
 * timeout after it sent some frame). An ENDPOINT_INFO it sends later does not publish this event
 * again.
 */
public class CryoSessionConnectedEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	public CryoSessionConnectedEvent(CryoSession session) {
		super(session);
	}

}
