package dev.cryo.server.event;

import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.server.CryoSession;

/**
 * The peer started a transaction (TX_START, already ACKed): its data arrives through
 * {@link #stream()}. Read it on another thread, or after {@code stream().completion()}: the
 * stream is filled on the thread that publishes this event, so reading it to the end inside the
 * listener would wait for data that cannot arrive.
 *
 * <p>The event is published on the session's receiving thread before the server does anything
 * else with the transaction, so a synchronous listener can still decide how a transaction the
 * peer offers in pull mode (a CAMP TX_START with TX_PULL, see {@code stream().behaviour()} and
 * {@code stream().announcedSize()}) is fetched: by calling {@code stream().requestRange(start, end)}
 * for the ranges it wants instead of the whole, or {@code stream().cancel()} to refuse it (TX_CANCEL
 * in CAMP). Once the listeners have returned without asking for ranges, the whole transaction is
 * fetched. An asynchronous listener ({@code @Async}) is too late for either.
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
