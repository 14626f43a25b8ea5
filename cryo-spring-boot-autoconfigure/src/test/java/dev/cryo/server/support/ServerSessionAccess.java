package dev.cryo.server.support;

import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.server.CryoSession;

/**
 * The engine under a server session, for end-to-end tests that need what {@link CryoSession}
 * does not offer (yet): the session's dialect and transaction layout, and streaming in a chosen
 * mode (CAMP pull). Tests only.
 */
public final class ServerSessionAccess {

	private ServerSessionAccess() {
	}

	/**
	 * Returns the protocol session of a server session.
	 * @param session a session of a running server
	 * @return its engine
	 */
	public static ProtocolSession protocol(CryoSession session) {
		return ((ServerSession) session).protocol();
	}

}
