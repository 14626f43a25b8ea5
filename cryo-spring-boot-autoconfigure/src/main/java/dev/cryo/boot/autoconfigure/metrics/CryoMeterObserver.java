package dev.cryo.boot.autoconfigure.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.engine.DropPolicy;
import dev.cryo.core.engine.SessionLimit;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.transaction.TransactionRefusal;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.SessionCloseCategory;
import dev.cryo.server.observer.UpgradeRefusal;

/**
 * A {@link CryoServerObserver} that counts into Micrometer meters. Every meter of every tag value
 * is registered up front, so that the per-frame calls only index an array and increment (no
 * lookup, no allocation) and a scrape shows every series from the start, zeros included.
 *
 * <p>Tags take values from small fixed sets (frame types, drop policies, close categories,
 * refusal reasons, the server's dialects); nothing that identifies a session, a token or an
 * address is ever a tag. The session meters carry the {@code dialect} of the session: one series
 * per dialect the server speaks ({@code cryo-v1}, {@code camp}), registered up front for the
 * dialects named at construction and on first use for any other, which only a server with more
 * dialects than it was described with can produce.
 */
public class CryoMeterObserver implements CryoServerObserver {

	/** The tag that names the dialect of a session: {@code cryo-v1}, {@code camp}. */
	public static final String DIALECT_TAG = "dialect";

	/** Tag value for a received message that did not decode as a frame. */
	static final String MALFORMED = "malformed";

	private static final String FRAMES_RECEIVED = "Cryo frames received, by frame type";

	private final Counter[] framesReceived;

	private final Counter malformedReceived;

	private final Counter[] framesSent;

	private final Counter bytesReceived;

	private final Counter bytesSent;

	private final Counter[] framesDropped;

	private final Counter ackTimeouts;

	private final Counter[] limitsExceeded;

	private final Timer ackRoundTrip;

	private final Counter transactionBytesReceived;

	private final Counter transactionBytesSent;

	private final MeterRegistry registry;

	/** The session meters of each dialect, by dialect name. */
	private final ConcurrentMap<String, SessionMeters> sessionMeters = new ConcurrentHashMap<>();

	private final Counter[] upgradesRejected;

	private final Counter[] transactionsRefused;

	private final AtomicLong spillBytes = new AtomicLong();

	private final AtomicInteger transactionThreadsBusy = new AtomicInteger();

	/**
	 * Creates the observer of a server that speaks Cryo v1 only and registers its meters.
	 * @param registry where the meters go
	 */
	public CryoMeterObserver(MeterRegistry registry) {
		this(registry, List.of(CryoV1Dialect.INSTANCE.name()));
	}

	/**
	 * Creates the observer and registers its meters, the session meters for each dialect.
	 * @param registry where the meters go
	 * @param dialects the names of the dialects the server speaks
	 */
	public CryoMeterObserver(MeterRegistry registry, Collection<String> dialects) {
		this.registry = registry;
		this.framesReceived = countersByConstant(registry, "cryo.frames.received", FRAMES_RECEIVED, "type",
				FrameType.values(), CryoMeterObserver::tagValue);
		this.malformedReceived = counter(registry, "cryo.frames.received", FRAMES_RECEIVED, "type", MALFORMED);
		this.framesSent = countersByConstant(registry, "cryo.frames.sent",
				"Cryo frames handed to the WebSocket for writing", "type", FrameType.values(),
				CryoMeterObserver::tagValue);
		this.bytesReceived = Counter.builder("cryo.bytes.received")
			.description("Bytes of all WebSocket messages received by Cryo sessions")
			.register(registry);
		this.bytesSent = Counter.builder("cryo.bytes.sent")
			.description("Bytes of all Cryo frames handed to the WebSocket for writing")
			.register(registry);
		this.framesDropped = countersByConstant(registry, "cryo.frames.dropped",
				"Cryo frames dropped by the send queue's backpressure policy", "policy", DropPolicy.values(),
				CryoMeterObserver::tagValue);
		this.limitsExceeded = countersByConstant(registry, "cryo.limits.exceeded",
				"Cryo connections closed because the peer reached a memory limit, by limit", "limit",
				SessionLimit.values(), CryoMeterObserver::tagValue);
		this.ackTimeouts = Counter.builder("cryo.acks.timeout")
			.description("Tracked Cryo frames whose ACK did not arrive within the ack timeout")
			.register(registry);
		this.ackRoundTrip = Timer.builder("cryo.ack.rtt")
			.description("Time from sending a tracked Cryo frame to receiving its ACK")
			.register(registry);
		this.transactionBytesReceived = Counter.builder("cryo.transactions.bytes.received")
			.description("Payload bytes of TX_CHUNK frames received")
			.register(registry);
		this.transactionBytesSent = Counter.builder("cryo.transactions.bytes.sent")
			.description("Payload bytes of TX_CHUNK frames queued for sending")
			.register(registry);
		for (String dialect : dialects) {
			sessionMeters(dialect);
		}
		this.upgradesRejected = countersByConstant(registry, "cryo.upgrades.rejected",
				"Cryo WebSocket upgrades refused before a session was created", "reason", UpgradeRefusal.values(),
				CryoMeterObserver::tagValue);
		this.transactionsRefused = countersByConstant(registry, "cryo.transactions.refused",
				"Cryo transactions, and pulls within them, refused by a limit", "reason",
				TransactionRefusal.values(), CryoMeterObserver::tagValue);
		Gauge.builder("cryo.transactions.spill.bytes", this.spillBytes, AtomicLong::get)
			.description("Bytes in the temporary files of Cryo transactions, counted against the spill quota")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("cryo.transactions.threads.busy", this.transactionThreadsBusy, AtomicInteger::get)
			.description("Threads of the Cryo transaction pool running work now, at most its max-threads")
			.register(registry);
	}

	private SessionMeters sessionMeters(String dialect) {
		SessionMeters meters = this.sessionMeters.get(dialect);
		return (meters != null) ? meters
				: this.sessionMeters.computeIfAbsent(dialect, (name) -> new SessionMeters(this.registry, name));
	}

	/** One counter per enum constant, indexed by its ordinal, so the hot path is an array read. */
	private static <E extends Enum<E>> Counter[] countersByConstant(MeterRegistry registry, String name,
			String description, String tag, E[] constants, Function<E, String> tagValue) {
		Counter[] counters = new Counter[constants.length];
		for (E constant : constants) {
			counters[constant.ordinal()] = counter(registry, name, description, tag, tagValue.apply(constant));
		}
		return counters;
	}

	private static Counter counter(MeterRegistry registry, String name, String description, String tag,
			String value) {
		return Counter.builder(name).description(description).tag(tag, value).register(registry);
	}

	public static String tagValue(FrameType type) {
		return type.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Returns the {@code policy} tag value of a drop policy: its property value.
	 * @param policy the policy
	 * @return e.g. {@code drop-oldest}
	 */
	public static String tagValue(DropPolicy policy) {
		return kebab(policy.name());
	}

	/**
	 * Returns the {@code limit} tag value of a memory limit.
	 * @param limit the limit
	 * @return e.g. {@code reassembly-budget}
	 */
	public static String tagValue(SessionLimit limit) {
		return kebab(limit.name());
	}

	/**
	 * Returns the {@code reason} tag value of an upgrade refusal.
	 * @param refusal the refusal
	 * @return e.g. {@code invalid-token}
	 */
	public static String tagValue(UpgradeRefusal refusal) {
		return kebab(refusal.name());
	}

	/**
	 * Returns the {@code reason} tag value of a transaction refusal.
	 * @param refusal the refusal
	 * @return e.g. {@code spill-space}
	 */
	public static String tagValue(TransactionRefusal refusal) {
		return kebab(refusal.name());
	}

	private static String kebab(String constant) {
		return constant.toLowerCase(Locale.ROOT).replace('_', '-');
	}

	@Override
	public void frameReceived(FrameType type, int bytes) {
		this.framesReceived[type.ordinal()].increment();
		this.bytesReceived.increment(bytes);
	}

	@Override
	public void malformedFrameReceived(int bytes) {
		this.malformedReceived.increment();
		this.bytesReceived.increment(bytes);
	}

	@Override
	public void frameSent(FrameType type, int bytes) {
		this.framesSent[type.ordinal()].increment();
		this.bytesSent.increment(bytes);
	}

	@Override
	public void framesDropped(DropPolicy policy, int count) {
		this.framesDropped[policy.ordinal()].increment(count);
	}

	@Override
	public void limitExceeded(SessionLimit limit) {
		this.limitsExceeded[limit.ordinal()].increment();
	}

	@Override
	public void ackTimedOut(int count) {
		this.ackTimeouts.increment(count);
	}

	@Override
	public void roundTripSampled(long nanos) {
		this.ackRoundTrip.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void transactionBytesReceived(int bytes) {
		this.transactionBytesReceived.increment(bytes);
	}

	@Override
	public void transactionBytesSent(int bytes) {
		this.transactionBytesSent.increment(bytes);
	}

	@Override
	public void sessionOpened() {
		sessionOpened(CryoV1Dialect.INSTANCE.name());
	}

	@Override
	public void sessionOpened(String dialect) {
		sessionMeters(dialect).opened.increment();
	}

	@Override
	public void sessionClosed(SessionCloseCategory category) {
		sessionClosed(category, CryoV1Dialect.INSTANCE.name());
	}

	@Override
	public void sessionClosed(SessionCloseCategory category, String dialect) {
		sessionMeters(dialect).closed[category.ordinal()].increment();
	}

	@Override
	public void upgradeRejected(UpgradeRefusal refusal) {
		this.upgradesRejected[refusal.ordinal()].increment();
	}

	@Override
	public void transactionRefused(TransactionRefusal reason) {
		this.transactionsRefused[reason.ordinal()].increment();
	}

	@Override
	public void spillBytesChanged(long bytes) {
		this.spillBytes.set(bytes);
	}

	@Override
	public void transactionThreadsBusy(int threads) {
		this.transactionThreadsBusy.set(threads);
	}

	/** The counters of the sessions of one dialect. */
	private static final class SessionMeters {

		private final Counter opened;

		private final Counter[] closed;

		SessionMeters(MeterRegistry registry, String dialect) {
			this.opened = Counter.builder("cryo.sessions.opened")
				.description("Cryo sessions created for accepted WebSocket upgrades and for links to peer servers")
				.tag(DIALECT_TAG, dialect)
				.register(registry);
			SessionCloseCategory[] categories = SessionCloseCategory.values();
			this.closed = new Counter[categories.length];
			for (SessionCloseCategory category : categories) {
				this.closed[category.ordinal()] = Counter.builder("cryo.sessions.closed")
					.description("Cryo sessions that ended, by why they ended")
					.tag("reason", category.tagValue())
					.tag(DIALECT_TAG, dialect)
					.register(registry);
			}
		}

	}

}
