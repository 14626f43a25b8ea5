package dev.cryo.core.engine;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.engine.ProtocolSession.Role;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.transaction.TransactionManager;
import dev.cryo.core.transaction.TransactionOptions;

/**
 * One session under test with its {@link TestTransport}, {@link RecordingHandler} and a real
 * single-threaded timer, or a {@link ManualScheduler} for tests about deadlines. Cryo v1 unless
 * the test picks another dialect. Create one per test and {@link #close()} it afterwards.
 */
final class SessionFixture implements AutoCloseable {

	/** The session's sid: above 2^63, since sids are unsigned and random ones usually are. */
	static final SessionId SID = SessionId.of(0x8000_0000_0000_002AL);

	/**
	 * Timings that never fire during a test unless the test asks for them. The opening frame is
	 * written at once: only the tests of the first write (cryo-v1.md §3 rule 2) hold it back.
	 */
	static final SessionOptions QUIET = new SessionOptions(Duration.ofSeconds(30), Duration.ZERO, 16,
			Duration.ofSeconds(30)).withFirstFrameDelay(Duration.ZERO);

	/** {@link #QUIET} without send-queue caps, for tests about the writer rather than the limits. */
	static final SessionOptions UNBOUNDED = new SessionOptions(Duration.ofSeconds(30), Duration.ZERO, 16,
			Duration.ofSeconds(30), new BackpressureSettings(Long.MAX_VALUE, 0, Long.MAX_VALUE, Integer.MAX_VALUE,
					DropPolicy.DROP_NEWEST),
			Duration.ZERO).withFirstFrameDelay(Duration.ZERO);

	final EventLog log = new EventLog();

	final TestTransport transport = new TestTransport(this.log);

	final RecordingHandler handler = new RecordingHandler(this.log);

	/** One thread, so tasks run in deadline order (see {@link #awaitTimersUpTo}). */
	final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
		Thread thread = new Thread(task, "cryo-test-timer");
		thread.setDaemon(true);
		return thread;
	});

	/** Time that moves only when the test advances it; used instead of the real timer after {@link #manualClock()}. */
	final ManualScheduler clock = new ManualScheduler();

	private boolean manualClock;

	private CryoDialect dialect = CryoV1Dialect.INSTANCE;

	private Executor streamExecutor = TransactionManager.sharedExecutor();

	private SessionOptions options = QUIET;

	private Role role = Role.SERVER;

	private SessionObserver observer = SessionObserver.NOOP;

	private @Nullable ProtocolSession session;

	private SessionId sid = SID;

	static SessionOptions options(Duration ackTimeout, Duration endpointInfoTimeout, int maxMalformedFrames) {
		return new SessionOptions(ackTimeout, endpointInfoTimeout, maxMalformedFrames, Duration.ofSeconds(30))
			.withFirstFrameDelay(Duration.ZERO);
	}

	/** {@link #QUIET} timings with other transaction limits and sizes. */
	static SessionOptions withTransactions(TransactionOptions transactions) {
		return new SessionOptions(Duration.ofSeconds(30), Duration.ZERO, 16, Duration.ofSeconds(30),
				BackpressureSettings.SEED_DEFAULTS, Duration.ofSeconds(30), transactions)
			.withFirstFrameDelay(Duration.ZERO);
	}

	/** Speaks another dialect; the transport decodes what the session sends with its codec. */
	SessionFixture dialect(CryoDialect dialect) {
		this.dialect = dialect;
		this.transport.decodeWith(dialect.codec());
		return this;
	}

	/** Uses another session id: a UUID for the legacy generation, whose codec writes nothing else. */
	SessionFixture sid(SessionId sid) {
		this.sid = sid;
		return this;
	}

	/** Runs the session's timers on {@link #clock} instead of a real timer thread. */
	SessionFixture manualClock() {
		this.manualClock = true;
		return this;
	}

	/**
	 * Runs the work of transactions on another executor: {@code Runnable::run} makes sources
	 * read and chunks sent on the thread that lets them, so a test sees them when its call returns.
	 */
	SessionFixture streamExecutor(Executor executor) {
		this.streamExecutor = executor;
		return this;
	}

	SessionFixture options(SessionOptions options) {
		this.options = options;
		return this;
	}

	SessionFixture observer(SessionObserver observer) {
		this.observer = observer;
		return this;
	}

	SessionFixture role(Role role) {
		this.role = role;
		return this;
	}

	/** The session, created on first use and not started. */
	ProtocolSession session() {
		if (this.session == null) {
			this.session = new ProtocolSession(this.sid, this.role, this.dialect, this.transport, this.handler, this.options,
					this.manualClock ? this.clock : this.scheduler, this.streamExecutor, this.observer);
		}
		return this.session;
	}

	/** Creates and starts the session: it sends its ENDPOINT_INFO. */
	ProtocolSession start() {
		ProtocolSession started = session();
		started.start();
		return started;
	}

	/**
	 * Starts the session and completes the handshake as a peer with transactions would (its
	 * ENDPOINT_INFO, then the ACK of ours), then forgets what was sent and logged so far.
	 */
	ProtocolSession open() {
		return open(EndpointInfoFrame.FEATURE_TRANSACTIONS);
	}

	ProtocolSession open(long peerFlags) {
		ProtocolSession opened = start();
		receive(new EndpointInfoFrame(SID, 0, EndpointInfoFrame.PROTOCOL_VERSION, peerFlags));
		receive(new AckFrame(SID, 0));
		if (opened.state() != SessionState.OPEN || opened.pendingAcks() != 0) {
			throw new IllegalStateException("handshake did not complete: " + opened + ", " + this.transport.sent());
		}
		this.transport.clear();
		this.log.clear();
		return opened;
	}

	/** Feeds one frame from the peer, encoded as the peer would send it in the session's dialect. */
	void receive(Frame frame) {
		session().receive(encode(frame));
	}

	/** Encodes a frame in the session's dialect, in its own layout, with the ack number it carries. */
	ByteBuffer encode(Frame frame) {
		return this.dialect.codec().encode(frame, Frame.headerNumber(frame));
	}


	/** Feeds one raw message from the peer. */
	void receive(byte[] message) {
		session().receive(ByteBuffer.wrap(message));
	}

	/**
	 * Waits until every timer task due within {@code delay} from now has run. The timer has one
	 * thread and runs tasks in deadline order, so a marker task scheduled at {@code delay} runs
	 * after all of them: the test learns what the timers did without guessing durations.
	 */
	void awaitTimersUpTo(Duration delay) {
		ScheduledFuture<?> marker = this.scheduler.schedule(() -> {
		}, delay.toNanos(), TimeUnit.NANOSECONDS);
		try {
			marker.get(delay.toMillis() + Polling.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("timer did not reach the marker", ex);
		}
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
		this.clock.shutdownNow();
	}

	// ---- reaching into the ack counter

	/** The session's ack tracker. */
	static AckTracker ackTracker(ProtocolSession session) {
		return (AckTracker) read(ProtocolSession.class, "acks", session);
	}

	/**
	 * Moves an ack counter forward without taking 2^32 numbers one by one: there is no API for
	 * it, and driving it there would take minutes.
	 */
	static void setNextAck(AckTracker tracker, int next) {
		try {
			Field field = AckTracker.class.getDeclaredField("nextAck");
			field.setAccessible(true);
			field.setInt(tracker, next);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("AckTracker has no counter field 'nextAck' any more", ex);
		}
	}

	static Object read(Class<?> owner, String name, Object target) {
		try {
			Field field = owner.getDeclaredField(name);
			field.setAccessible(true);
			return field.get(target);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(owner.getSimpleName() + " has no field '" + name + "' any more", ex);
		}
	}

}
