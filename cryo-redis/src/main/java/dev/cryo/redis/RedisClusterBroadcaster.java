package dev.cryo.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;

import dev.cryo.server.BroadcastResult;
import dev.cryo.server.CryoSession;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.LocalDelivery;

/**
 * A {@link ClusterBroadcaster} on Redis publish/subscribe. Each multicast is encoded once (the
 * origin node, the {@link SessionSelector} and the message, in a compact binary form with a tag
 * for each selector kind and attribute value type, never Java serialization) and published once on {@code <prefix>broadcast}; every node subscribes
 * to that channel and hands what other nodes publish to its server's {@link LocalDelivery}, which
 * resolves the selector against that node's sessions. A node ignores its own messages and
 * delivers to its own sessions directly.
 *
 * <p><b>{@link BroadcastResult#remoteDeliveries()} counts nodes, not sessions</b>: it is the
 * number of other nodes subscribed to the channel when the message was published (what Redis's
 * {@code PUBLISH} answers, less this node), each of which resolves the selector itself and may
 * have no recipient. Publish/subscribe is fire-and-forget: a node that is not subscribed at that
 * moment (restarting, or cut off from Redis) never gets the message, and no node acknowledges
 * what it delivered.
 *
 * <p>The message is published before it is delivered here. When Redis cannot be reached within
 * the {@linkplain RedisClusterSettings#commandTimeout() command timeout} the multicast throws a
 * {@link RedisClusterUnavailableException} and reaches nobody, not even this node's sessions, so
 * that the caller never takes a partial delivery for a complete one. A subscription lost with
 * Redis is resumed when Redis returns (after a restart of Redis too); what the other nodes
 * published meanwhile is lost.
 *
 * <p>Messages from other nodes are delivered one at a time, in the order they arrive, on one
 * thread of this broadcaster's: a recipient whose send blocks delays the messages after it, as
 * it would on the node that published them. Start it ({@link #start()}, or as a Spring bean) to
 * subscribe, stop it to unsubscribe.
 */
public final class RedisClusterBroadcaster implements ClusterBroadcaster, SmartLifecycle, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisClusterBroadcaster.class);

	/** The most of an undecodable message's origin that reaches the log. */
	private static final int MAX_LOGGED = 200;

	private final StringRedisTemplate redis;

	private final RedisClusterSettings settings;

	private final byte[] channel;

	private final RedisConnectionFactory connectionFactory;

	/** Replaced after a subscription that failed to start, which the container does not retry. */
	private volatile RedisMessageListenerContainer container;

	private final ExecutorService deliveries;

	/** Retries a subscription that failed, off the thread that started the application. */
	private final ScheduledExecutorService retries;

	private final RedisCommands commands;

	private volatile @Nullable LocalDelivery attached;

	private volatile boolean running;

	private volatile RedisClusterObserver observer = RedisClusterObserver.NONE;

	/**
	 * Creates a broadcaster.
	 * @param connectionFactory the connection to Redis
	 * @param settings the node id, channel prefix and timeout
	 */
	public RedisClusterBroadcaster(RedisConnectionFactory connectionFactory, RedisClusterSettings settings) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.settings = settings;
		this.channel = settings.broadcastChannel().getBytes(StandardCharsets.UTF_8);
		this.commands = new RedisCommands("broadcast", settings.commandTimeout(), logger);
		this.deliveries = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "cryo-redis-delivery");
			thread.setDaemon(true);
			return thread;
		});
		this.retries = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "cryo-redis-subscribe");
			thread.setDaemon(true);
			return thread;
		});
		this.connectionFactory = connectionFactory;
		this.container = newContainer();
	}

	@Override
	public void attach(LocalDelivery localDelivery) {
		Assert.notNull(localDelivery, "'localDelivery' must not be null");
		Assert.state(this.attached == null, "A server is attached to this broadcaster already");
		this.attached = localDelivery;
	}

	/**
	 * Publishes the message to the other nodes, then delivers it to this node's sessions.
	 * @return the local sends and the number of other NODES the message was published to
	 * @throws RedisClusterUnavailableException when Redis cannot be reached; nothing was sent
	 * @throws IllegalArgumentException when the selector cannot travel between nodes: an attribute
	 * selector whose value is not a {@code String}, {@code Long}, {@code Integer}, {@code Boolean},
	 * {@code Double} or {@code UUID}
	 */
	@Override
	public BroadcastResult broadcast(SessionSelector selector, ClusterMessage message, LocalDelivery localDelivery) {
		byte[] envelope = new ClusterEnvelope(this.settings.nodeId(), selector, message).encode();
		Long subscribers = this.commands
			.run(() -> this.redis.execute((RedisCallback<Long>) (connection) -> connection.publish(this.channel,
					envelope)));
		this.observer.messageSent();
		long otherNodes = (subscribers != null) ? Math.max(0, subscribers - 1) : 0;
		Map<CryoSession, CompletableFuture<Void>> local = localDelivery.deliver(selector, message);
		return new BroadcastResult(local, otherNodes);
	}

	private void received(Message message, byte @Nullable [] pattern) {
		ClusterEnvelope envelope;
		try {
			envelope = ClusterEnvelope.decode(message.getBody());
		}
		catch (IllegalArgumentException ex) {
			this.observer.failure(RedisClusterObserver.Failure.DECODE);
			logger.warn("Ignored a message on " + this.settings.broadcastChannel() + " that is not a Cryo cluster message: "
					+ bounded(ex.getMessage()));
			return;
		}
		if (envelope.originNodeId().equals(this.settings.nodeId())) {
			return;
		}
		LocalDelivery delivery = this.attached;
		if (delivery == null) {
			return;
		}
		this.observer.messageReceived();
		try {
			delivery.deliver(envelope.selector(), envelope.message());
		}
		catch (RuntimeException ex) {
			this.observer.failure(RedisClusterObserver.Failure.OTHER);
			logger.warn("Delivering a message from Cryo node " + bounded(envelope.originNodeId()) + " failed", ex);
		}
	}

	/** Escapes control characters and truncates text from the network before it is logged. */
	private static String bounded(@Nullable String text) {
		if (text == null) {
			return "";
		}
		StringBuilder escaped = new StringBuilder();
		for (int i = 0; i < text.length() && i < MAX_LOGGED; i++) {
			char c = text.charAt(i);
			if (Character.isISOControl(c)) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		if (text.length() > MAX_LOGGED) {
			escaped.append("...");
		}
		return escaped.toString();
	}

	/**
	 * Returns the settings this broadcaster publishes with.
	 * @return the settings
	 */
	public RedisClusterSettings settings() {
		return this.settings;
	}

	/**
	 * Sets what is told of the messages sent and received and of the failures, for metrics.
	 * @param observer the observer, {@link RedisClusterObserver#NONE} to tell nothing
	 */
	public void setObserver(RedisClusterObserver observer) {
		Assert.notNull(observer, "'observer' must not be null");
		this.observer = observer;
		this.commands.observer(observer);
	}

	/**
	 * Returns whether this node is subscribed to the channel now, so that other nodes' messages
	 * reach its sessions: {@code false} before it starts, after it stops, and while a
	 * subscription lost with Redis is being resumed.
	 * @return {@code true} while subscribed
	 */
	public boolean isSubscribed() {
		return this.running && this.container.isListening();
	}

	/**
	 * Sends Redis a {@code PING} and waits for the answer at most the command timeout.
	 * @throws RedisClusterUnavailableException when Redis does not answer
	 */
	public void ping() {
		this.commands.run(() -> this.redis.execute((RedisCallback<String>) (connection) -> connection.ping()));
	}

	/**
	 * Returns a short description of the last failed command of this broadcaster (a publish or
	 * a {@linkplain #ping() ping}): the exception's class and message.
	 * @return the description, empty when no command failed yet
	 */
	public Optional<String> lastFailure() {
		return Optional.ofNullable(this.commands.lastFailureDescription());
	}

	/**
	 * Subscribes to the channel. When Redis cannot be reached the node starts all the same and
	 * tries again every second, logging the first failure and the success; until then it gets no
	 * message from other nodes.
	 */
	@Override
	public synchronized void start() {
		if (!this.running) {
			this.running = true;
			subscribe(true);
		}
	}

	private synchronized void subscribe(boolean first) {
		if (!this.running) {
			return;
		}
		try {
			this.container.start();
			logger.info("Cryo node " + this.settings.nodeId() + " subscribed to " + this.settings.broadcastChannel());
		}
		catch (RuntimeException ex) {
			this.observer.failure(RedisCommands.reason(ex));
			if (first) {
				logger.warn("Cryo node " + this.settings.nodeId() + " cannot subscribe to "
						+ this.settings.broadcastChannel() + " (" + ex.getMessage() + "); retrying every "
						+ RedisCommands.RETRY_PAUSE.toMillis() + " ms, meanwhile no message of another node reaches "
						+ "this one");
			}
			discard(this.container);
			this.container = newContainer();
			this.retries.schedule(() -> subscribe(false), RedisCommands.RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private RedisMessageListenerContainer newContainer() {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.connectionFactory);
		container.setTaskExecutor(this.deliveries);
		// The pause of the container's own recovery when a subscription it holds fails.
		container.setRecoveryInterval(RedisCommands.RETRY_PAUSE.toMillis());
		container.addMessageListener(this::received, new ChannelTopic(this.settings.broadcastChannel()));
		container.afterPropertiesSet();
		return container;
	}

	private static void discard(RedisMessageListenerContainer container) {
		try {
			container.stop();
			container.destroy();
		}
		catch (Exception ex) {
			logger.debug("Discarding a Redis subscription that failed to start failed", ex);
		}
	}

	/** Unsubscribes: messages of other nodes no longer reach this node's sessions. */
	@Override
	public synchronized void stop() {
		if (this.running) {
			this.running = false;
			this.container.stop();
		}
	}

	/**
	 * Unsubscribes and stops this broadcaster's threads; a multicast after this fails with a
	 * {@link RedisClusterUnavailableException}.
	 */
	@Override
	public synchronized void close() {
		stop();
		try {
			discard(this.container);
		}
		finally {
			this.deliveries.shutdownNow();
			this.retries.shutdownNow();
			this.commands.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Starts before the web server takes connections and stops after it, so that no session of
	 * this node misses a message for lack of a subscription while it serves.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

}
