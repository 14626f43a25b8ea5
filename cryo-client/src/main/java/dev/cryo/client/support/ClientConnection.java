package dev.cryo.client.support;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.CryoTransport;
import dev.cryo.core.engine.ProtocolHandler;
import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.IncomingStream;

/**
 * One connection of a client session: the handler of its {@link ProtocolSession}, which turns
 * the engine's callbacks into {@link Events} for the session's listeners, and the watch on the
 * server's pings. Its end is reported only once the {@link Reconnector} adopted it; before
 * that, a failed handshake is the connector's to report.
 */
public final class ClientConnection implements ProtocolHandler, Reconnector.Connection {

	private final SessionId sid;

	private final Events events;

	private volatile @Nullable ProtocolSession protocol;

	private volatile boolean adopted;

	private volatile @Nullable CloseInfo closedWith;

	private volatile @Nullable ScheduledFuture<?> pingWatch;

	/**
	 * Creates a connection that is not open yet.
	 * @param sid the session id it asks the server for
	 * @param events where what arrives on it goes
	 */
	public ClientConnection(SessionId sid, Events events) {
		this.sid = Objects.requireNonNull(sid, "sid");
		this.events = Objects.requireNonNull(events, "events");
	}

	/**
	 * Returns the session id of this connection.
	 * @return the session id
	 */
	public SessionId sid() {
		return this.sid;
	}

	/**
	 * Returns the engine of this connection.
	 * @return the protocol session, or {@code null} before the WebSocket opened
	 */
	public @Nullable ProtocolSession protocol() {
		return this.protocol;
	}

	/**
	 * Creates (but does not start) the engine for the opened WebSocket, with this connection as
	 * its handler; the connector calls this once, before anything is read.
	 * @param transport the opened WebSocket
	 * @param dialect the dialect the upgrade asked for, and the server answered
	 * @param options the engine's options
	 * @param scheduler the timer for ack timeouts
	 * @param streamExecutor the executor for stream sources and pulls
	 * @return the protocol session
	 */
	public ProtocolSession open(CryoTransport transport, CryoDialect dialect, SessionOptions options,
			ScheduledExecutorService scheduler, Executor streamExecutor) {
		ProtocolSession created = new ProtocolSession(this.sid, ProtocolSession.Role.CLIENT, dialect, transport, this,
				options, scheduler, streamExecutor);
		this.protocol = created;
		return created;
	}

	/**
	 * Closes the connection with BYE {@code reason} when the server's pings stop arriving for
	 * longer than the timeout. The engine's liveness does the watching, as it does the
	 * heartbeat on the server; the watch ends with the connection.
	 * @param timeout how long a ping may be overdue; zero disables the check
	 * @param reason the BYE reason
	 */
	public void watchPings(Duration timeout, String reason) {
		ProtocolSession watched = this.protocol;
		if (watched == null || timeout.isZero()) {
			return;
		}
		this.pingWatch = watched.watchPings(timeout, reason);
	}

	/** Stops the watch on the server's pings, if there is one. */
	public void stopWatchingPings() {
		ScheduledFuture<?> watch = this.pingWatch;
		if (watch != null) {
			watch.cancel(false);
		}
	}

	@Override
	public @Nullable CloseInfo adopt() {
		this.adopted = true;
		return this.closedWith;
	}

	@Override
	public void close(String reason) {
		ProtocolSession open = this.protocol;
		if (open != null) {
			open.close(reason);
		}
	}

	@Override
	public void onUtf8(ProtocolSession session, Utf8DataFrame frame) {
		this.events.utf8Message(frame.text());
	}

	@Override
	public void onBinary(ProtocolSession session, BinaryDataFrame frame) {
		this.events.binaryMessage(frame.payload());
	}

	@Override
	public void onError(ProtocolSession session, ErrorFrame frame) {
		this.events.errorMessage(frame.message());
	}

	@Override
	public void onStreamStarted(ProtocolSession session, IncomingStream stream) {
		this.events.streamStarted(stream);
	}

	@Override
	public void onWritabilityChanged(ProtocolSession session, boolean writable) {
		this.events.writabilityChanged(writable);
	}

	@Override
	public void onClosed(ProtocolSession session, CloseInfo closeInfo) {
		this.closedWith = closeInfo;
		// Before adoption the connector reports a failed handshake, and adopt() sees closedWith.
		if (this.adopted) {
			this.events.closed(this, closeInfo);
		}
	}

	@Override
	public String toString() {
		return "ClientConnection[sid=" + this.sid + "]";
	}

	/** What arrives on a connection, for the session to hand to its listeners. */
	public interface Events {

		/**
		 * A UTF8DATA message arrived.
		 * @param text the message
		 */
		void utf8Message(String text);

		/**
		 * A BINARYDATA message arrived.
		 * @param payload the message; each listener gets its own read-only view
		 */
		void binaryMessage(ByteBuffer payload);

		/**
		 * An ERROR frame arrived.
		 * @param message its text
		 */
		void errorMessage(String message);

		/**
		 * The server started a transaction.
		 * @param stream the incoming stream
		 */
		void streamStarted(IncomingStream stream);

		/**
		 * The send queue crossed a water mark.
		 * @param writable whether it is below the high-water mark
		 */
		void writabilityChanged(boolean writable);

		/**
		 * The adopted connection ended.
		 * @param connection the connection
		 * @param closeInfo how it ended
		 */
		void closed(ClientConnection connection, CloseInfo closeInfo);

	}

}
