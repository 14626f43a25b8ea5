package dev.cryo.server.extension;

import dev.cryo.core.engine.CryoSessionException;

/** An extension dropped an outgoing frame; it was never sent. */
public final class CryoSendVetoedException extends CryoSessionException {

	private static final long serialVersionUID = 1L;

	CryoSendVetoedException(String extensionName) {
		super("Dropped by extension '" + extensionName + "'");
	}

}
