package dev.cryo.server.event;

import dev.cryo.server.CryoSession;

/** A UTF-8 message arrived (and was ACKed). */
public class CryoUtf8MessageEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	private final String text;

	public CryoUtf8MessageEvent(CryoSession session, String text) {
		super(session);
		this.text = text;
	}

	/**
	 * Returns the message, malformed UTF-8 replaced by U+FFFD.
	 * @return the text
	 */
	public String text() {
		return this.text;
	}

}
