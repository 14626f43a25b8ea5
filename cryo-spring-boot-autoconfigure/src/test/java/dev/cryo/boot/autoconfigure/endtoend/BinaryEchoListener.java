package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.context.event.EventListener;

import dev.cryo.server.event.CryoBinaryMessageEvent;

/**
 * Sends every binary message back to its session, for sessions whose {@value #ECHO_ATTRIBUTE}
 * attribute is {@code true}; other sessions are left alone so that tests can count frames.
 */
public class BinaryEchoListener {

	/** The session attribute that turns the echo on. */
	public static final String ECHO_ATTRIBUTE = "echo";

	@EventListener
	void on(CryoBinaryMessageEvent event) {
		if (Boolean.TRUE.equals(event.getSession().getAttribute(ECHO_ATTRIBUTE))) {
			event.getSession().sendBinary(event.payload());
		}
	}

}
