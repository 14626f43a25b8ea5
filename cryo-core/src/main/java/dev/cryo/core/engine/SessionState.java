package dev.cryo.core.engine;

/** The life of a session (DESIGN.md, cryo-v1.md §3). */
public enum SessionState {

	/** The WebSocket is open; the peer's ENDPOINT_INFO has not been accepted yet. */
	HANDSHAKING,

	/** The peer's ENDPOINT_INFO was accepted; the session is ready for all frames. */
	OPEN,

	/** A BYE was sent or received, or a close was requested; queued frames are being flushed. */
	CLOSING,

	/** The connection is closed; every pending send has failed. */
	CLOSED

}
