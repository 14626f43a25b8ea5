package dev.cryo.server.event;

import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.server.CryoSession;

/**
 * The peer started a transaction (TX_START, already ACKed): its data arrives through
 * {@link #stream()}. Read it on another thread, or after {@code stream().completion()}: the
 * stream is filled on the thread that publishes this event, so reading it to the end inside the
 * listener would wait for data that cannot arrive.
 */
public class CryoStreamStartedEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	private final transient IncomingStream stream;

	public CryoStreamStartedEvent(CryoSession session, IncomingStream stream) {
		super(session);
		this.stream = stream;
	}

	/**
	 * Returns the incoming stream.
	 * @return the stream
	 */
	public IncomingStream stream() {
		return this.stream;
	}

	/**
	 * Returns the transaction's name ({@code anonymous} when the peer sent none).
	 * @return the name
	 */
	public String name() {
		return this.stream.name();
	}

}
