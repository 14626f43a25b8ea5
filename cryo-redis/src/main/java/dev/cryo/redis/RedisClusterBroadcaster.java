package dev.cryo.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;

import dev.cryo.core.SessionId;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.ClusterDeliveryException;
import dev.cryo.server.ClusterDeliveryReport;
import dev.cryo.server.CryoSession;
import dev.cryo.server.NodeDeliveryReport;
import dev.cryo.server.SessionNotFoundException;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.ClusterSubscription;
import dev.cryo.server.cluster.ClusterTopicListener;
import dev.cryo.server.cluster.ClusterTopics;
import dev.cryo.server.cluster.LocalDelivery;

/**
 * A {@link ClusterBroadcaster} on Redis publish/subscribe. Each multicast is encoded once (a
 * {@link ClusterEnvelope}: compact binary with a tag for each kind, never Java serialization) and
 * published once on {@code <prefix>broadcast}; every node subscribes to that channel and hands what
 * other nodes publish to its server's {@link LocalDelivery}, which resolves the selector against
 * that node's sessions. A node ignores its own messages and delivers to its own sessions directly.
 * Each node also subscribes to a channel of its own, {@code <prefix>node:<nodeId>}, which carries
 * the sends to its sessions and the reports addressed to it.
 *
 * <p><b>Live nodes.</b> Each running node announces itself in the sorted set {@code <prefix>nodes}
 * (its id, scored with Redis's clock) every third of the
 * {@linkplain RedisClusterSettings#sessionTtl() session time to live}, and removes itself when it
 * stops; an entry older than the time to live is a dead node's and is dropped. The announcement
 * also reads the live nodes, which this node keeps as {@link #liveNodes()}.
 *
 * <p><b>What a multicast's result means.</b> {@link BroadcastResult#remoteDeliveries()} counts
 * NODES, not sessions: the other nodes subscribed to the channel when the message was published
 * (what Redis's {@code PUBLISH} answers, less this node). {@link BroadcastResult#remoteReport()}
 * says what each of them did: every receiving node delivers to its sessions, waits until each of
 * their send futures completed (ACKed, or failed: closed, refused, no ACK within the session's ACK
 * timeout; a send still pending after four fifths of the
 * {@linkplain RedisClusterSettings#deliveryTimeout() delivery timeout} counts as failed) and
 * publishes a report on the origin's channel. The origin expects a report from every other node of
 * its view of the live nodes at the moment it publishes; the report completes, never
 * exceptionally, when each answered, or after the delivery timeout with the silent ones as
 * {@link NodeDeliveryReport.Status#NO_ANSWER} (a node that stopped, or lost Redis, without leaving
 * the registry yet). A node that answers without being expected (it joined since the last
 * announcement) is in the report too when it answers in time. At most
 * {@linkplain RedisClusterSettings#maxPendingReports() a limit of} multicasts and sends wait for
 * reports at once; a multicast beyond it is still published and delivered, but its report completes
 * at once with every expected node as not answering, and a send to another node beyond it fails at
 * once with a {@link ClusterDeliveryException} without being sent; both are counted as failure
 * {@code pending-limit}. A pending report holds no more than the ids of the expected nodes and is
 * forgotten at the delivery timeout, so a node that never answers costs nothing lasting.
 *
 * <p><b>Sends to one session</b> ({@link #send(SessionId, ClusterMessage, LocalDelivery)}) go to
 * the local session when there is one, else to the node that claims the id in the
 * {@link RedisSessionDirectory}'s keys, on its channel only; that node sends and reports the
 * outcome, which completes the future: normally when the peer ACKs; with a
 * {@link SessionNotFoundException} when no node claims the id or its node has no such session when
 * the message arrives; with a {@link ClusterDeliveryException} when the node is not subscribed to
 * its channel, reports that the send failed there (closed, refused, no ACK in time), or does not
 * report within the delivery timeout.
 *
 * <p><b>Topics</b> carry other modules' messages ({@link #publish(String, byte[])}) on the
 * broadcast channel to the other nodes' {@linkplain #subscribe(String, ClusterTopicListener)
 * listeners}, never to this node's.
 *
 * <p><b>When Redis cannot be reached</b> within the
 * {@linkplain RedisClusterSettings#commandTimeout() command timeout}, a multicast, a send to another
 * node and a topic publish throw a {@link RedisClusterUnavailableException}; a multicast then
 * reaches nobody, not even this node's sessions, so that the caller never takes a partial delivery
 * for a complete one. A subscription lost with Redis is resumed when Redis returns (after a restart
 * of Redis too), and the node announces itself again at once; what the other nodes published
 * meanwhile is lost.
 *
 * <p>Messages from other nodes are handled one at a time, in the order they arrive, on one thread
 * of this broadcaster's: a recipient whose send blocks, or a topic listener that blocks, delays the
 * messages after it. Timeouts run on a second thread, announcements and subscription retries on a
 * third. Start it ({@link #start()}, or as a Spring bean) to subscribe and announce, stop it to
 * unsubscribe and leave.
 */
public final class RedisClusterBroadcaster implements ClusterBroadcaster, SmartLifecycle, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisClusterBroadcaster.class);

	/** The most of text from the network that reaches the log. */
	private static final int MAX_LOGGED = 200;

	/** The most live nodes this node keeps in its view, so a forged registry costs a bounded list. */
	static final int MAX_NODES = 1000;

	/**
	 * Announces this node (unless the node id argument is empty), drops the entries older than the
	 * time to live, keeps the whole set no longer than that, and returns the newest live nodes. The
	 * scores are Redis's clock, so the nodes' clocks need not agree.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ANNOUNCE = new DefaultRedisScript<>("""
			redis.replicate_commands()
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			local ttl = tonumber(ARGV[2])
			if ARGV[1] ~= '' then
				redis.call('ZADD', KEYS[1], now, ARGV[1])
			end
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
			redis.call('PEXPIRE', KEYS[1], ttl)
			return redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)
			""", List.class);

	private final StringRedisTemplate redis;

	private final RedisClusterSettings settings;

	private final byte[] broadcastChannel;

	private final byte[] ownChannel;

	private final RedisConnectionFactory connectionFactory;

	/** Replaced after a subscription that failed to start, which the container does not retry. */
	private volatile RedisMessageListenerContainer container;

	private final ExecutorService deliveries;

	/** Subscription retries, announcements and probes: the tasks that wait for Redis. */
	private final ScheduledThreadPoolExecutor background;

	/** The delivery timeouts: never waits for Redis, so that a timeout fires on time. */
	private final ScheduledThreadPoolExecutor timer;

	private final RedisCommands commands;

	private final AtomicLong messageIds = new AtomicLong();

	/** Multicasts and sends of this node's waiting for reports, by message id. */
	private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

	/** Counts {@link #pending} strictly, so the limit holds under concurrent multicasts. */
	private final AtomicInteger pendingCount = new AtomicInteger();

	/** Deliveries of other nodes' messages whose outcome this node has still to report. */
	private final AtomicInteger reporting = new AtomicInteger();

	private final Map<String, List<TopicSubscription>> topics = new ConcurrentHashMap<>();

	private volatile List<String> liveNodes = List.of();

	private volatile @Nullable ScheduledFuture<?> announcements;

	private volatile @Nullable LocalDelivery attached;

	private volatile boolean running;

	private volatile RedisClusterObserver observer = RedisClusterObserver.NONE;

	/**
	 * Creates a broadcaster.
	 * @param connectionFactory the connection to Redis
	 * @param settings the node id, channel prefix, timeouts and limits
	 */
	public RedisClusterBroadcaster(RedisConnectionFactory connectionFactory, RedisClusterSettings settings) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.settings = settings;
		this.broadcastChannel = settings.broadcastChannel().getBytes(StandardCharsets.UTF_8);
		this.ownChannel = settings.nodeChannel(settings.nodeId()).getBytes(StandardCharsets.UTF_8);
		this.commands = new RedisCommands("broadcast", settings.commandTimeout(), logger);
		this.deliveries = Executors.newSingleThreadExecutor((runnable) -> daemon(runnable, "cryo-redis-delivery"));
		this.background = new ScheduledThreadPoolExecutor(1, (runnable) -> daemon(runnable, "cryo-redis-cluster"));
		this.timer = new ScheduledThreadPoolExecutor(1, (runnable) -> daemon(runnable, "cryo-redis-timer"));
		// A delivery that completes in time cancels its timeout: gone from the queue at once.
		this.timer.setRemoveOnCancelPolicy(true);
		this.background.setRemoveOnCancelPolicy(true);
		this.connectionFactory = connectionFactory;
		this.container = newContainer();
		this.commands.onRecovery(() -> this.background.execute(this::announce));
		long pause = RedisCommands.RETRY_PAUSE.toMillis();
		this.background.scheduleWithFixedDelay(this::probe, pause, pause, TimeUnit.MILLISECONDS);
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	@Override
	public void attach(LocalDelivery localDelivery) {
		Assert.notNull(localDelivery, "'localDelivery' must not be null");
		Assert.state(this.attached == null, "A server is attached to this broadcaster already");
		this.attached = localDelivery;
	}

	/**
	 * Publishes the message to the other nodes, then delivers it to this node's sessions.
	 * @return the local sends, the number of other NODES the message was published to, and their
	 * reports (see the class description)
	 * @throws RedisClusterUnavailableException when Redis cannot be reached; nothing was sent
	 * @throws IllegalArgumentException when the message is larger than the
	 * {@linkplain RedisClusterSettings#maxMessageSize() limit}, or the selector cannot travel
	 * between nodes: an attribute selector whose value is not a {@code String}, {@code Long},
	 * {@code Integer}, {@code Boolean}, {@code Double} or {@code UUID}
	 */
	@Override
	public BroadcastResult broadcast(SessionSelector selector, ClusterMessage message, LocalDelivery localDelivery) {
		long messageId = this.messageIds.incrementAndGet();
		byte[] envelope = new ClusterEnvelope.Multicast(this.settings.nodeId(), messageId, selector, message)
			.encode(this.settings.maxMessageSize());
		List<String> expected = otherLiveNodes();
		PendingMulticast report = (expected.isEmpty()) ? null : new PendingMulticast(messageId, expected);
		boolean tracked = report != null && track(report);
		long subscribers;
		try {
			subscribers = publish(this.broadcastChannel, envelope);
		}
		catch (RuntimeException ex) {
			if (tracked) {
				untrack(messageId);
			}
			throw ex;
		}
		long otherNodes = Math.max(0, subscribers - 1);
		Map<CryoSession, CompletableFuture<Void>> local = localDelivery.deliver(selector, message);
		if (report == null) {
			return new BroadcastResult(local, otherNodes);
		}
		if (!tracked) {
			report.overLimit();
		}
		return new BroadcastResult(local, otherNodes, report.future);
	}

	/**
	 * Sends to the session here, or to the node that claims the id, whose report completes the
	 * future (see {@link ClusterBroadcaster#send(SessionId, ClusterMessage, LocalDelivery)}).
	 * @throws RedisClusterUnavailableException when the session is not here and Redis cannot be
	 * reached to find its node or to send there
	 * @throws IllegalArgumentException when the message is larger than the
	 * {@linkplain RedisClusterSettings#maxMessageSize() limit}
	 */
	@Override
	public CompletableFuture<Void> send(SessionId sessionId, ClusterMessage message, LocalDelivery localDelivery) {
		Assert.notNull(sessionId, "'sessionId' must not be null");
		Map<CryoSession, CompletableFuture<Void>> sent = localDelivery.deliver(SessionSelector.id(sessionId), message);
		if (!sent.isEmpty()) {
			return sent.values().iterator().next();
		}
		String key = this.settings.sessionKey(sessionId.toString());
		String owner = this.commands.run(() -> this.redis.opsForValue().get(key));
		if (owner == null || owner.equals(this.settings.nodeId())) {
			// Not claimed anywhere, or claimed by this node for a session that is gone (or not open yet).
			return CompletableFuture.failedFuture(new SessionNotFoundException(sessionId));
		}
		long messageId = this.messageIds.incrementAndGet();
		byte[] envelope = new ClusterEnvelope.Direct(this.settings.nodeId(), messageId, sessionId, message)
			.encode(this.settings.maxMessageSize());
		PendingSend send = new PendingSend(messageId, owner, sessionId);
		if (!track(send)) {
			this.observer.failure(RedisClusterObserver.Failure.PENDING_LIMIT);
			return CompletableFuture.failedFuture(new ClusterDeliveryException(owner, "Too many sends wait for the "
					+ "reports of other nodes (" + this.settings.maxPendingReports() + "); nothing was sent"));
		}
		long receivers;
		try {
			receivers = publish(this.settings.nodeChannel(owner).getBytes(StandardCharsets.UTF_8), envelope);
		}
		catch (RuntimeException ex) {
			untrack(messageId);
			throw ex;
		}
		if (receivers == 0 && untrack(messageId)) {
			send.future.completeExceptionally(new ClusterDeliveryException(owner, "Cryo node " + owner
					+ ", which holds session " + sessionId + ", is not subscribed to its channel; nothing was sent"));
		}
		return send.future;
	}

	/**
	 * Publishes a module's message on a topic to the other nodes.
	 * @throws IllegalArgumentException for a topic name outside the rules, or a payload larger than
	 * the {@linkplain RedisClusterSettings#maxMessageSize() limit}
	 * @throws RedisClusterUnavailableException when Redis cannot be reached
	 */
	@Override
	public long publish(String topic, byte[] payload) {
		ClusterTopics.checkName(topic);
		Assert.notNull(payload, "'payload' must not be null");
		byte[] envelope = new ClusterEnvelope.Topic(this.settings.nodeId(), this.messageIds.incrementAndGet(), topic,
				payload)
			.encode(this.settings.maxMessageSize());
		return Math.max(0, publish(this.broadcastChannel, envelope) - 1);
	}

	/**
	 * Subscribes a listener to a topic; it is called on this broadcaster's delivery thread, and
	 * what it throws is logged and counted as failure {@code listener}, never stops the delivery to
	 * the other listeners.
	 */
	@Override
	public ClusterSubscription subscribe(String topic, ClusterTopicListener listener) {
		ClusterTopics.checkName(topic);
		Assert.notNull(listener, "'listener' must not be null");
		TopicSubscription subscription = new TopicSubscription(topic, listener);
		this.topics.computeIfAbsent(topic, (name) -> new CopyOnWriteArrayList<>()).add(subscription);
		return subscription;
	}

	private long publish(byte[] channel, byte[] envelope) {
		Long receivers = this.commands
			.run(() -> this.redis.execute((RedisCallback<Long>) (connection) -> connection.publish(channel, envelope)));
		this.observer.messageSent();
		return (receivers != null) ? receivers : 0;
	}

	private List<String> otherLiveNodes() {
		List<String> live = this.liveNodes;
		List<String> others = new ArrayList<>(live.size());
		for (String node : live) {
			if (!node.equals(this.settings.nodeId())) {
				others.add(node);
			}
		}
		return others;
	}

	/** Registers a multicast or send waiting for reports, unless as many as the limit wait already. */
	private boolean track(Pending waiting) {
		if (this.pendingCount.incrementAndGet() > this.settings.maxPendingReports()) {
			this.pendingCount.decrementAndGet();
			return false;
		}
		this.pending.put(waiting.messageId, waiting);
		waiting.timeout = this.timer.schedule(() -> timedOut(waiting.messageId),
				this.settings.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
		return true;
	}

	/**
	 * Forgets a multicast or send; exactly one caller gets {@code true} for a tracked one.
	 * @return whether it was still pending
	 */
	private boolean untrack(long messageId) {
		Pending removed = this.pending.remove(messageId);
		if (removed == null) {
			return false;
		}
		this.pendingCount.decrementAndGet();
		ScheduledFuture<?> timeout = removed.timeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
		return true;
	}

	private void timedOut(long messageId) {
		Pending waiting = this.pending.get(messageId);
		if (waiting != null && untrack(messageId)) {
			waiting.timedOut();
		}
	}

	private void received(Message message, byte @Nullable [] pattern) {
		ClusterEnvelope envelope;
		try {
			envelope = ClusterEnvelope.decode(message.getBody(), this.settings.maxMessageSize());
		}
		catch (IllegalArgumentException ex) {
			this.observer.failure(RedisClusterObserver.Failure.DECODE);
			logger.warn("Ignored a message on " + bounded(new String(message.getChannel(), StandardCharsets.UTF_8))
					+ " that is not a Cryo cluster message: " + bounded(ex.getMessage()));
			return;
		}
		if (envelope.originNodeId().equals(this.settings.nodeId())) {
			return;
		}
		boolean onOwnChannel = Arrays.equals(message.getChannel(), this.ownChannel);
		boolean addressed = (envelope instanceof ClusterEnvelope.Direct || envelope instanceof ClusterEnvelope.Report);
		if (onOwnChannel != addressed) {
			this.observer.failure(RedisClusterObserver.Failure.DECODE);
			logger.warn("Ignored a Cryo cluster message of node " + bounded(envelope.originNodeId())
					+ " on the wrong channel " + bounded(new String(message.getChannel(), StandardCharsets.UTF_8)));
			return;
		}
		try {
			if (envelope instanceof ClusterEnvelope.Report report) {
				reported(report);
			}
			else if (envelope instanceof ClusterEnvelope.Topic topic) {
				deliverTopic(topic);
			}
			else {
				deliver(envelope);
			}
		}
		catch (RuntimeException ex) {
			this.observer.failure(RedisClusterObserver.Failure.OTHER);
			logger.warn("Handling a message from Cryo node " + bounded(envelope.originNodeId()) + " failed", ex);
		}
	}

	/** Delivers a multicast or a direct send of another node's here, then reports the outcome. */
	private void deliver(ClusterEnvelope envelope) {
		LocalDelivery delivery = this.attached;
		if (delivery == null) {
			return;
		}
		// Counted before the sessions get it, so that a count read after a client saw it includes it.
		this.observer.messageReceived();
		Map<CryoSession, CompletableFuture<Void>> sent;
		if (envelope instanceof ClusterEnvelope.Multicast multicast) {
			sent = delivery.deliver(multicast.selector(), multicast.message());
		}
		else {
			ClusterEnvelope.Direct direct = (ClusterEnvelope.Direct) envelope;
			sent = delivery.deliver(SessionSelector.id(direct.sessionId()), direct.message());
		}
		new Outcome(envelope.originNodeId(), envelope.messageId(), sent.values()).start();
	}

	private void deliverTopic(ClusterEnvelope.Topic topic) {
		List<TopicSubscription> listeners = this.topics.get(topic.topic());
		this.observer.messageReceived();
		if (listeners == null) {
			return;
		}
		for (TopicSubscription subscription : listeners) {
			try {
				subscription.listener.onMessage(topic.originNodeId(), topic.payload());
			}
			catch (RuntimeException ex) {
				this.observer.failure(RedisClusterObserver.Failure.LISTENER);
				logger.warn("A listener of cluster topic " + topic.topic() + " failed on a message of node "
						+ bounded(topic.originNodeId()), ex);
			}
		}
	}

	private void reported(ClusterEnvelope.Report report) {
		this.observer.messageReceived();
		Pending waiting = this.pending.get(report.messageId());
		if (waiting != null) {
			waiting.reported(report);
		}
	}

	/** Escapes control characters and truncates text from the network before it is logged. */
	static String bounded(@Nullable String text) {
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

	/** Announces this node and reads the live nodes; failures wait for the next round or the recovery. */
	private void announce() {
		String self = this.running ? this.settings.nodeId() : "";
		try {
			List<?> nodes = this.commands.run(() -> this.redis.execute(ANNOUNCE, List.of(this.settings.nodesKey()),
					self, Long.toString(this.settings.sessionTtl().toMillis()), Integer.toString(MAX_NODES)));
			List<String> live = new ArrayList<>();
			if (nodes != null) {
				for (Object node : nodes) {
					if (node instanceof String id && !id.isEmpty()
							&& id.length() <= RedisClusterSettings.MAX_NODE_ID_LENGTH) {
						live.add(id);
					}
				}
			}
			this.liveNodes = List.copyOf(live);
		}
		catch (RedisClusterUnavailableException ex) {
			// Counted and logged by the command runner; the probe notices when Redis returns.
		}
		catch (RuntimeException ex) {
			this.observer.failure(RedisClusterObserver.Failure.OTHER);
			logger.warn("Announcing Cryo node " + this.settings.nodeId() + " failed", ex);
		}
	}

	/** While Redis is thought unreachable, asks whether it is back; the answer announces this node again. */
	private void probe() {
		if (!this.running || !this.commands.isUnavailable()) {
			return;
		}
		try {
			ping();
		}
		catch (RedisClusterUnavailableException ex) {
			// Still down: the next probe asks again.
		}
	}

	/** Announces this node and reads the live nodes now, rather than at the next round; for tests. */
	void announceNow() {
		announce();
	}

	/**
	 * Returns the nodes of the cluster that announced themselves within the session time to live,
	 * this one included while it runs, as of this node's last announcement (every third of the time
	 * to live, and right after Redis returns); at most {@value #MAX_NODES}.
	 * @return the node ids, newest announcement first; empty before the first announcement
	 */
	public List<String> liveNodes() {
		return this.liveNodes;
	}

	/**
	 * Returns how many multicasts and sends of this node wait for the reports of other nodes.
	 * @return the count, at most {@link RedisClusterSettings#maxPendingReports()}
	 */
	public int pendingReports() {
		return this.pendingCount.get();
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
	 * Returns whether this node is subscribed to its channels now, so that other nodes' messages
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
	 * Returns a short description of the last failed command of this broadcaster (a publish, an
	 * announcement or a {@linkplain #ping() ping}): the exception's class and message.
	 * @return the description, empty when no command failed yet
	 */
	public Optional<String> lastFailure() {
		return Optional.ofNullable(this.commands.lastFailureDescription());
	}

	/**
	 * Subscribes to the channels and starts announcing this node. When Redis cannot be reached the
	 * node starts all the same and tries again every second, logging the first failure and the
	 * success; until then it gets no message from other nodes.
	 */
	@Override
	public synchronized void start() {
		if (!this.running) {
			this.running = true;
			long period = Math.max(1, this.settings.sessionTtl().toMillis() / 3);
			this.announcements = this.background.scheduleWithFixedDelay(this::announce, 0, period,
					TimeUnit.MILLISECONDS);
			subscribe(true);
		}
	}

	private synchronized void subscribe(boolean first) {
		if (!this.running) {
			return;
		}
		try {
			this.container.start();
			logger.info("Cryo node " + this.settings.nodeId() + " subscribed to " + this.settings.broadcastChannel()
					+ " and " + this.settings.nodeChannel(this.settings.nodeId()));
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
			this.background.schedule(() -> subscribe(false), RedisCommands.RETRY_PAUSE.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	private RedisMessageListenerContainer newContainer() {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.connectionFactory);
		container.setTaskExecutor(this.deliveries);
		// The pause of the container's own recovery when a subscription it holds fails.
		container.setRecoveryInterval(RedisCommands.RETRY_PAUSE.toMillis());
		container.addMessageListener(this::received, List.of(new ChannelTopic(this.settings.broadcastChannel()),
				new ChannelTopic(this.settings.nodeChannel(this.settings.nodeId()))));
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

	/**
	 * Unsubscribes and leaves the registry of live nodes: messages of other nodes no longer reach
	 * this node's sessions, and other nodes no longer wait for its reports.
	 */
	@Override
	public synchronized void stop() {
		if (this.running) {
			this.running = false;
			ScheduledFuture<?> announcing = this.announcements;
			if (announcing != null) {
				announcing.cancel(false);
			}
			try {
				this.commands.run(() -> this.redis.opsForZSet().remove(this.settings.nodesKey(), this.settings.nodeId()));
			}
			catch (RedisClusterUnavailableException ex) {
				// The entry ages out after the session time to live.
			}
			this.liveNodes = List.of();
			this.container.stop();
		}
	}

	/**
	 * Unsubscribes, completes every pending report (the silent nodes as not answering, a pending send
	 * failed) and stops this broadcaster's threads; a multicast after this fails with a
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
			this.background.shutdownNow();
			this.timer.shutdownNow();
			for (Long messageId : List.copyOf(this.pending.keySet())) {
				timedOut(messageId);
			}
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

	/** A multicast or a send of this node's waiting for reports. */
	private abstract static class Pending {

		final long messageId;

		volatile @Nullable ScheduledFuture<?> timeout;

		Pending(long messageId) {
			this.messageId = messageId;
		}

		/** A report about it arrived; called on the delivery thread. */
		abstract void reported(ClusterEnvelope.Report report);

		/** The delivery timeout passed, or the broadcaster closed; called once, after it is untracked. */
		abstract void timedOut();

	}

	/** The reports of a multicast: one per expected node, or no answer. */
	private final class PendingMulticast extends Pending {

		final CompletableFuture<ClusterDeliveryReport> future = new CompletableFuture<>();

		private final List<String> expected;

		/** Guarded by this. */
		private final Map<String, NodeDeliveryReport> answers = new LinkedHashMap<>();

		PendingMulticast(long messageId, List<String> expected) {
			super(messageId);
			this.expected = expected;
		}

		@Override
		void reported(ClusterEnvelope.Report report) {
			boolean complete;
			synchronized (this) {
				this.answers.putIfAbsent(report.originNodeId(),
						new NodeDeliveryReport(report.originNodeId(), NodeDeliveryReport.Status.ANSWERED,
								report.recipients(), report.acknowledged(), report.failed()));
				complete = this.answers.keySet().containsAll(this.expected);
			}
			if (complete && untrack(this.messageId)) {
				complete(false);
			}
		}

		@Override
		void timedOut() {
			complete(true);
		}

		/** Not tracked: every expected node is reported as not answering at once. */
		void overLimit() {
			RedisClusterBroadcaster.this.observer.failure(RedisClusterObserver.Failure.PENDING_LIMIT);
			complete(false);
		}

		/** Completes the future with the answers and the silent nodes; returns how many were silent. */
		/**
		 * Completes the report, the silent nodes as {@code NO_ANSWER}; at the timeout each of them
		 * is counted first, so that whoever reads the report sees the count too.
		 */
		private void complete(boolean countSilent) {
			List<NodeDeliveryReport> nodes;
			int silent = 0;
			synchronized (this) {
				nodes = new ArrayList<>(this.answers.values());
				for (String node : this.expected) {
					if (!this.answers.containsKey(node)) {
						nodes.add(NodeDeliveryReport.noAnswer(node));
						silent++;
					}
				}
			}
			if (countSilent) {
				for (int i = 0; i < silent; i++) {
					RedisClusterBroadcaster.this.observer.failure(RedisClusterObserver.Failure.NO_ANSWER);
				}
			}
			this.future.complete(new ClusterDeliveryReport(nodes));
		}

	}

	/** The report of the node that holds the session of a send. */
	private final class PendingSend extends Pending {

		final CompletableFuture<Void> future = new CompletableFuture<>();

		private final String owner;

		private final SessionId sessionId;

		PendingSend(long messageId, String owner, SessionId sessionId) {
			super(messageId);
			this.owner = owner;
			this.sessionId = sessionId;
		}

		@Override
		void reported(ClusterEnvelope.Report report) {
			if (!report.originNodeId().equals(this.owner) || !untrack(this.messageId)) {
				return;
			}
			if (report.recipients() == 0) {
				this.future.completeExceptionally(new SessionNotFoundException(this.sessionId));
			}
			else if (report.acknowledged() >= 1) {
				this.future.complete(null);
			}
			else {
				this.future.completeExceptionally(new ClusterDeliveryException(this.owner, "Cryo node " + this.owner
						+ " reports that the send to session " + this.sessionId + " failed there"));
			}
		}

		@Override
		void timedOut() {
			RedisClusterBroadcaster.this.observer.failure(RedisClusterObserver.Failure.NO_ANSWER);
			this.future.completeExceptionally(new ClusterDeliveryException(this.owner,
					"Cryo node " + this.owner + " did not report the send to session " + this.sessionId + " within "
							+ RedisClusterBroadcaster.this.settings.deliveryTimeout().toMillis() + " ms"));
		}

	}

	/**
	 * The outcome of another node's multicast or send here: counts the local sends as they complete
	 * and reports once, when all completed or at four fifths of the delivery timeout.
	 */
	private final class Outcome {

		private final String origin;

		private final long messageId;

		private final Collection<CompletableFuture<Void>> sends;

		private final AtomicInteger remaining;

		private final AtomicInteger acknowledged = new AtomicInteger();

		private final AtomicInteger failed = new AtomicInteger();

		private final AtomicBoolean reported = new AtomicBoolean();

		private volatile @Nullable ScheduledFuture<?> bound;

		/** Whether this outcome holds one of the {@link #reporting} slots, given back when it reports. */
		private final AtomicBoolean counted = new AtomicBoolean();

		Outcome(String origin, long messageId, Collection<CompletableFuture<Void>> sends) {
			this.origin = origin;
			this.messageId = messageId;
			this.sends = sends;
			this.remaining = new AtomicInteger(sends.size());
		}

		void start() {
			if (this.sends.isEmpty()) {
				report();
				return;
			}
			// The session futures fail on their own at the ACK timeout; the bound covers a
			// delivery that does not keep that promise, as long as few reports are outstanding.
			if (RedisClusterBroadcaster.this.reporting.incrementAndGet() <= RedisClusterBroadcaster.this.settings
				.maxPendingReports()) {
				this.counted.set(true);
				long millis = RedisClusterBroadcaster.this.settings.deliveryTimeout().toMillis() * 4 / 5;
				this.bound = RedisClusterBroadcaster.this.timer.schedule(this::report, millis, TimeUnit.MILLISECONDS);
			}
			else {
				RedisClusterBroadcaster.this.reporting.decrementAndGet();
			}
			for (CompletableFuture<Void> send : this.sends) {
				send.whenComplete((result, failure) -> {
					((failure != null) ? this.failed : this.acknowledged).incrementAndGet();
					if (this.remaining.decrementAndGet() == 0) {
						report();
					}
				});
			}
		}

		private void report() {
			if (!this.reported.compareAndSet(false, true)) {
				return;
			}
			ScheduledFuture<?> timeout = this.bound;
			if (timeout != null) {
				timeout.cancel(false);
			}
			if (this.counted.getAndSet(false)) {
				RedisClusterBroadcaster.this.reporting.decrementAndGet();
			}
			int recipients = this.sends.size();
			int acked = Math.min(this.acknowledged.get(), recipients);
			// Still pending at the bound counts as failed.
			int failures = recipients - acked;
			byte[] envelope = new ClusterEnvelope.Report(RedisClusterBroadcaster.this.settings.nodeId(),
					this.messageId, recipients, acked, failures)
				.encode(RedisClusterBroadcaster.this.settings.maxMessageSize());
			byte[] channel = RedisClusterBroadcaster.this.settings.nodeChannel(this.origin)
				.getBytes(StandardCharsets.UTF_8);
			RedisClusterBroadcaster.this.commands.submit(() -> {
				RedisClusterBroadcaster.this.redis
					.execute((RedisCallback<Long>) (connection) -> connection.publish(channel, envelope));
				RedisClusterBroadcaster.this.observer.messageSent();
				return null;
			});
		}

	}

	/** One listener's hold on a topic. */
	private final class TopicSubscription implements ClusterSubscription {

		private final String topic;

		final ClusterTopicListener listener;

		TopicSubscription(String topic, ClusterTopicListener listener) {
			this.topic = topic;
			this.listener = listener;
		}

		@Override
		public void cancel() {
			RedisClusterBroadcaster.this.topics.computeIfPresent(this.topic, (name, listeners) -> {
				listeners.remove(this);
				return listeners.isEmpty() ? null : listeners;
			});
		}

	}

}
