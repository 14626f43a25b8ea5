package dev.cryo.core.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.core.transaction.SpillSpace;
import dev.cryo.core.transaction.StreamSource;
import dev.cryo.core.transaction.TransactionChannel;
import dev.cryo.core.transaction.TransactionManager;
import dev.cryo.core.transaction.TransactionOptions;
import dev.cryo.core.transaction.TransactionRefusal;

/**
 * A session's transactions (cryo-v1.md §10) as the session sees them: the guards in front of
 * streaming (only when open, only towards a peer with transactions), the routing of received
 * transaction frames, and the channel through which the transactions send.
 */
final class SessionTransactions {

	private static final System.Logger logger = System.getLogger(SessionTransactions.class.getName());

	private final ProtocolSession session;

	private final ProtocolHandler handler;

	private final FrameSender sender;

	private final SessionObserver observer;

	private final TransactionManager manager;

	SessionTransactions(ProtocolSession session, ProtocolHandler handler, FrameSender sender, SessionObserver observer,
			TransactionOptions options, Executor streamExecutor, ScheduledExecutorService scheduler,
			SpillSpace spillSpace) {
		this.session = session;
		this.handler = handler;
		this.sender = sender;
		this.observer = observer;
		this.manager = new TransactionManager(new Channel(), options, streamExecutor, scheduler, spillSpace);
	}

	private boolean usable() {
		return this.session.state() == SessionState.OPEN && this.session.peerSupportsTransactions();
	}

	/**
	 * Returns the failure of every transaction call in a dialect without transactions (the legacy
	 * generation, legacy-v0.md §10.7): the call fails at once and says why, instead of waiting for
	 * a transaction that can never come or blaming the peer's features.
	 */
	private @Nullable UnsupportedOperationException unsupported() {
		if (this.session.dialect().policy().transactions() != SessionPolicy.TransactionFlavour.NONE) {
			return null;
		}
		return new UnsupportedOperationException("Session " + this.session.id()
				+ ": transactions are not supported by the " + this.session.dialect().name() + " dialect");
	}

	CompletableFuture<Void> stream(StreamSource source, String name, @Nullable FlowBehaviour behaviour) {
		UnsupportedOperationException unsupported = unsupported();
		if (unsupported != null) {
			closeQuietly(source);
			return CompletableFuture.failedFuture(unsupported);
		}
		if (!usable()) {
			closeQuietly(source);
			// Never start a transaction before ready, or towards a peer without transactions (§3.1).
			return CompletableFuture.failedFuture(new IllegalStateException("Session " + this.session.id()
					+ (this.session.peerSupportsTransactions() ? " is not open"
							: " has a peer without FEATURE_TRANSACTIONS")));
		}
		return (behaviour != null) ? this.manager.stream(source, name, behaviour) : this.manager.stream(source, name);
	}

	private static void closeQuietly(StreamSource source) {
		try {
			source.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, "Closing a refused transaction source failed", ex);
		}
	}

	CompletableFuture<IncomingStream> awaitStream(String name, Duration timeout) {
		UnsupportedOperationException unsupported = unsupported();
		if (unsupported != null) {
			return CompletableFuture.failedFuture(unsupported);
		}
		return this.manager.awaitStream(name, timeout);
	}

	CompletableFuture<Void> setIncomingFlow(FlowBehaviour behaviour) {
		UnsupportedOperationException unsupported = unsupported();
		if (unsupported != null) {
			return CompletableFuture.failedFuture(unsupported);
		}
		if (!usable()) {
			return CompletableFuture.failedFuture(
					new IllegalStateException("Session " + this.session.id() + " cannot use transactions now"));
		}
		return this.manager.requestIncomingFlow(behaviour);
	}

	/** A transaction frame the dialect let through. */
	void received(Frame frame) {
		switch (frame.type()) {
			case TX_START -> this.manager.onStart((TxStartFrame) frame);
			case TX_CHUNK -> {
				TxChunkFrame chunk = (TxChunkFrame) frame;
				this.observer.transactionBytesReceived(chunk.payloadLength());
				this.manager.onChunk(chunk);
			}
			case TX_FINISH -> this.manager.onFinish((TxFinishFrame) frame);
			case TX_FLOW -> this.manager.onFlow((TxFlowFrame) frame);
			case TX_PULL -> this.manager.onPull((TxPullFrame) frame);
			case TX_CANCEL -> this.manager.onCancel((TxCancelFrame) frame);
			default -> throw new IllegalArgumentException(frame.type() + " is not a transaction frame");
		}
	}

	void closeAll(Exception cause) {
		this.manager.closeAll(cause);
	}

	/** The session's side of its transactions. */
	private final class Channel implements TransactionChannel {

		@Override
		public SessionId sid() {
			return SessionTransactions.this.session.sid();
		}

		@Override
		public CompletableFuture<Void> sendTracked(Frame frame) {
			return SessionTransactions.this.sender.sendTracked(frame);
		}

		@Override
		public CompletableFuture<Void> sendTracked(IntFunction<Frame> frameForAck) {
			return SessionTransactions.this.sender.sendTracked(frameForAck);
		}

		@Override
		public TransactionLayout layout() {
			return SessionTransactions.this.session.transactionLayout();
		}

		@Override
		public boolean sendChunk(TxChunkFrame chunk, ByteBuffer message, Runnable written) {
			if (SessionTransactions.this.sender.enqueueChunk(chunk, message, written) != SendQueue.Admission.QUEUED) {
				return false;
			}
			SessionTransactions.this.observer.transactionBytesSent(chunk.payloadLength());
			return true;
		}

		@Override
		public int chunkOverhead(TransactionLayout layout) {
			return SessionTransactions.this.sender.codec().fixedLength(FrameType.TX_CHUNK, layout);
		}

		@Override
		public long maxQueuedBytes() {
			return SessionTransactions.this.sender.queue().maxQueuedBytes();
		}

		@Override
		public int maxChunkPayload() {
			return SessionTransactions.this.sender.codec().maxPayload();
		}

		@Override
		public CompletableFuture<Void> awaitRoom(int length) {
			return SessionTransactions.this.sender.queue().awaitRoom(length);
		}

		@Override
		public void sendError(String message) {
			SessionTransactions.this.session.reportProblem(message);
		}

		@Override
		public void refused(TransactionRefusal reason) {
			SessionTransactions.this.observer.transactionRefused(reason);
		}

		@Override
		public void streamStarted(IncomingStream stream) {
			try {
				SessionTransactions.this.handler.onStreamStarted(SessionTransactions.this.session, stream);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Stream handler of session " + SessionTransactions.this.session.id() + " failed",
						ex);
			}
		}

	}

}
