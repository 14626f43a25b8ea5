package dev.cryo.server;

import dev.cryo.core.engine.CryoSessionException;

/** An extension dropped an outgoing frame; it was never sent. */
public final class CryoSendVetoedException extends CryoSessionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception for a frame an extension dropped.
	 * @param extensionName the name of the extension that dropped it
	 */
	public CryoSendVetoedException(String extensionName) {
		super("Dropped by extension '" + extensionName + "'");
	}

}
