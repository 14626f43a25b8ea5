package dev.cryo.core.transaction;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.CryoTransport;
import dev.cryo.core.engine.ProtocolHandler;
import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.frame.Frame;

/**
 * A server-role and a client-role session joined back to back in memory: each message one
 * sends is received by the other on its own delivery thread, in order. Every message is also
 * recorded, so tests can check the frames on the "wire". A filter can swallow messages.
 */
final class SessionPair implements AutoCloseable {

	static final SessionId SID = SessionId.of(0x8000_0000_0000_0007L);

	final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	final ExecutorService streams = Executors.newCachedThreadPool();

	final List<Frame> serverSent = new CopyOnWriteArrayList<>();

	final List<Frame> clientSent = new CopyOnWriteArrayList<>();

	final ProtocolSession server;

	final ProtocolSession client;

	volatile Predicate<Frame> dropFromClient = (frame) -> false;

	SessionPair(SessionOptions options, ProtocolHandler serverHandler, ProtocolHandler clientHandler) {
		Loopback toClient = new Loopback(this.serverSent);
		Loopback toServer = new Loopback(this.clientSent);
		this.server = new ProtocolSession(SID, ProtocolSession.Role.SERVER, CryoV1Dialect.INSTANCE, toClient, serverHandler, options,
				this.scheduler, this.streams);
		this.client = new ProtocolSession(SID, ProtocolSession.Role.CLIENT, CryoV1Dialect.INSTANCE, toServer, clientHandler, options,
				this.scheduler, this.streams);
		toClient.peer = this.client;
		toServer.peer = this.server;
		toServer.filter = () -> this.dropFromClient;
		this.server.start();
		this.client.start();
		awaitOpen();
	}

	private void awaitOpen() {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (this.server.state() != SessionState.OPEN || this.client.state() != SessionState.OPEN) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the sessions did not open");
			}
			Thread.onSpinWait();
		}
	}

	/** Closes both ends as a dropped connection would. */
	void disconnect() {
		this.server.transportClosed(1006, "gone");
		this.client.transportClosed(1006, "gone");
	}

	@Override
	public void close() {
		disconnect();
		this.scheduler.shutdownNow();
		this.streams.shutdownNow();
	}

	/** One direction: records the frame and hands it to the peer on a delivery thread. */
	private static final class Loopback implements CryoTransport {

		private final ExecutorService delivery = Executors.newSingleThreadExecutor();

		private final List<Frame> sent;

		private volatile ProtocolSession peer;

		private volatile java.util.function.Supplier<Predicate<Frame>> filter = () -> (frame) -> false;

		Loopback(List<Frame> sent) {
			this.sent = sent;
		}

		@Override
		public void send(ByteBuffer message, SendCallback callback) {
			byte[] copy = new byte[message.remaining()];
			message.get(copy);
			Frame frame = FrameCodec.decode(copy);
			this.sent.add(frame);
			if (!this.filter.get().test(frame)) {
				this.delivery.execute(() -> this.peer.receive(ByteBuffer.wrap(copy)));
			}
			callback.completed(null);
		}

		@Override
		public void close(int code, String reason) {
			this.delivery.execute(() -> this.peer.transportClosed(code, reason));
			this.delivery.shutdown();
		}

	}

	static void await(java.util.function.BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Gave up waiting until " + what);
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
