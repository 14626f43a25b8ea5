package dev.cryo.boot.autoconfigure.metrics;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.cryo.redis.RedisClusterBroadcaster;
import dev.cryo.redis.RedisClusterObserver;
import dev.cryo.redis.RedisClusterObserver.Failure;
import dev.cryo.redis.RedisSessionDirectory;

/**
 * Binds the counters of a node of a Cryo cluster on Redis: {@code cryo.cluster.messages.sent}
 * (messages this node published: multicasts, sends, reports, topic messages),
 * {@code cryo.cluster.messages.received} (messages of other nodes handled here) and
 * {@code cryo.cluster.failures}, tagged {@code reason} ({@code unreachable}, {@code timeout},
 * {@code decode}, {@code no-answer}, {@code pending-limit}, {@code listener}, {@code other}; every
 * series registered up front so that a dashboard sees zeros rather than nothing), and the gauge
 * {@code cryo.cluster.reports.pending} (multicasts and sends waiting for other nodes' reports). Counting starts when the binder is
 * bound: it then becomes the {@link RedisClusterObserver} of the broadcaster and of the
 * directory.
 */
public class CryoClusterMeterBinder implements MeterBinder {

	/** The tag that says why a cluster operation failed. */
	public static final String REASON_TAG = "reason";

	private final RedisClusterBroadcaster broadcaster;

	private final @Nullable RedisSessionDirectory directory;

	/**
	 * Creates a binder.
	 * @param broadcaster the node's broadcaster
	 * @param directory the node's directory, if it is the Redis one
	 */
	public CryoClusterMeterBinder(RedisClusterBroadcaster broadcaster, @Nullable RedisSessionDirectory directory) {
		this.broadcaster = broadcaster;
		this.directory = directory;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Counter sent = Counter.builder("cryo.cluster.messages.sent")
			.description("Messages this node published to the other nodes of the Cryo cluster")
			.register(registry);
		Counter received = Counter.builder("cryo.cluster.messages.received")
			.description("Messages of other nodes of the Cryo cluster handled by this node")
			.register(registry);
		Gauge.builder("cryo.cluster.reports.pending", this.broadcaster, RedisClusterBroadcaster::pendingReports)
			.description("Multicasts and sends of this node waiting for the reports of other nodes of the Cryo cluster")
			.register(registry);
		Map<Failure, Counter> failures = new EnumMap<>(Failure.class);
		for (Failure reason : Failure.values()) {
			failures.put(reason, Counter.builder("cryo.cluster.failures")
				.description("Failed Cryo cluster operations: Redis commands and unreadable or undeliverable messages")
				.tag(REASON_TAG, reason.tag())
				.register(registry));
		}
		RedisClusterObserver observer = new RedisClusterObserver() {

			@Override
			public void messageSent() {
				sent.increment();
			}

			@Override
			public void messageReceived() {
				received.increment();
			}

			@Override
			public void failure(Failure reason) {
				failures.get(reason).increment();
			}

		};
		this.broadcaster.setObserver(observer);
		if (this.directory != null) {
			this.directory.setObserver(observer);
		}
	}

}
