package dev.cryo.boot.autoconfigure.metrics;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.cryo.core.frame.FrameType;
import dev.cryo.core.session.DropPolicy;
import dev.cryo.server.handshake.UpgradeRefusal;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.SessionCloseCategory;

/**
 * A {@link CryoServerObserver} that counts into Micrometer meters. Every meter of every tag value
 * is registered up front, so that the per-frame calls only index an array and increment (no
 * lookup, no allocation) and a scrape shows every series from the start, zeros included.
 *
 * <p>Tags take values from small fixed sets (frame types, drop policies, close categories,
 * refusal reasons); nothing that identifies a session, a token or an address is ever a tag.
 */
public class CryoMeterObserver implements CryoServerObserver {

	/** Tag value for a received message that did not decode as a frame. */
	static final String MALFORMED = "malformed";

	private final Counter[] framesReceived;

	private final Counter malformedReceived;

	private final Counter[] framesSent;

	private final Counter bytesReceived;

	private final Counter bytesSent;

	private final Counter[] framesDropped;

	private final Counter ackTimeouts;

	private final Timer ackRoundTrip;

	private final Counter transactionBytesReceived;

	private final Counter transactionBytesSent;

	private final Counter sessionsOpened;

	private final Counter[] sessionsClosed;

	private final Counter[] upgradesRejected;

	/**
	 * Creates the observer and registers its meters.
	 * @param registry where the meters go
	 */
	public CryoMeterObserver(MeterRegistry registry) {
		FrameType[] types = FrameType.values();
		this.framesReceived = new Counter[types.length];
		this.framesSent = new Counter[types.length];
		for (FrameType type : types) {
			this.framesReceived[type.ordinal()] = framesReceived(registry, tagValue(type));
			this.framesSent[type.ordinal()] = Counter.builder("cryo.frames.sent")
				.description("Cryo frames handed to the WebSocket for writing")
				.tag("type", tagValue(type))
				.register(registry);
		}
		this.malformedReceived = framesReceived(registry, MALFORMED);
		this.bytesReceived = Counter.builder("cryo.bytes.received")
			.description("Bytes of all WebSocket messages received by Cryo sessions")
			.register(registry);
		this.bytesSent = Counter.builder("cryo.bytes.sent")
			.description("Bytes of all Cryo frames handed to the WebSocket for writing")
			.register(registry);
		DropPolicy[] policies = DropPolicy.values();
		this.framesDropped = new Counter[policies.length];
		for (DropPolicy policy : policies) {
			this.framesDropped[policy.ordinal()] = Counter.builder("cryo.frames.dropped")
				.description("Cryo frames dropped by the send queue's backpressure policy")
				.tag("policy", tagValue(policy))
				.register(registry);
		}
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
		this.sessionsOpened = Counter.builder("cryo.sessions.opened")
			.description("Cryo sessions created for accepted WebSocket upgrades")
			.register(registry);
		SessionCloseCategory[] categories = SessionCloseCategory.values();
		this.sessionsClosed = new Counter[categories.length];
		for (SessionCloseCategory category : categories) {
			this.sessionsClosed[category.ordinal()] = Counter.builder("cryo.sessions.closed")
				.description("Cryo sessions that ended, by why they ended")
				.tag("reason", category.tagValue())
				.register(registry);
		}
		UpgradeRefusal[] refusals = UpgradeRefusal.values();
		this.upgradesRejected = new Counter[refusals.length];
		for (UpgradeRefusal refusal : refusals) {
			this.upgradesRejected[refusal.ordinal()] = Counter.builder("cryo.upgrades.rejected")
				.description("Cryo WebSocket upgrades refused before a session was created")
				.tag("reason", tagValue(refusal))
				.register(registry);
		}
	}

	private static Counter framesReceived(MeterRegistry registry, String type) {
		return Counter.builder("cryo.frames.received")
			.description("Cryo frames received, by frame type")
			.tag("type", type)
			.register(registry);
	}

	/**
	 * Returns the {@code type} tag value of a frame type: its name in cryo-v1.md, in lower case.
	 * @param type the frame type
	 * @return e.g. {@code utf8data}, {@code ping_pong}
	 */
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
	 * Returns the {@code reason} tag value of an upgrade refusal.
	 * @param refusal the refusal
	 * @return e.g. {@code invalid-token}
	 */
	public static String tagValue(UpgradeRefusal refusal) {
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
		this.sessionsOpened.increment();
	}

	@Override
	public void sessionClosed(SessionCloseCategory category) {
		this.sessionsClosed[category.ordinal()].increment();
	}

	@Override
	public void upgradeRejected(UpgradeRefusal refusal) {
		this.upgradesRejected[refusal.ordinal()].increment();
	}

}
