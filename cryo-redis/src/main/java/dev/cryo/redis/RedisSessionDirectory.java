package dev.cryo.redis;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisPipelineException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

import dev.cryo.core.SessionId;
import dev.cryo.server.cluster.LocalSessionDirectory;
import dev.cryo.server.cluster.SessionDirectory;

/**
 * A {@link SessionDirectory} shared through Redis: each session id is claimed as the key
 * {@code <prefix>sid:<id>} with this node's id as value and a time to live ({@code SET … PX}),
 * unless another node's id is there, so one node at most holds it (a claim of this node's own id
 * without a live session is left over, and taken over); the claim
 * expires after the {@linkplain RedisClusterSettings#sessionTtl() time to live} unless the
 * heartbeat refreshes it: the ids of a node that dies without releasing them become usable again
 * within that time. Refreshing and releasing are Lua scripts that compare the owner first, so a
 * node never extends or deletes a claim that expired and was taken by another node meanwhile.
 *
 * <p><b>Group memberships stay on this node.</b> {@link #join}, {@link #leave}, {@link #members}
 * and {@link #groupCount()} are those of a {@link LocalSessionDirectory}: a message to a group is
 * published to every node by the {@link RedisClusterBroadcaster}, and each node finds its own
 * members here. Nothing about groups is written to Redis.
 *
 * <p><b>When Redis cannot be reached</b> (no answer within the
 * {@linkplain RedisClusterSettings#commandTimeout() command timeout}, or a failure a moment ago):
 * <ul>
 * <li>{@link #reserve} grants the id on this node alone and logs the outage once. The server
 * already refuses an id live on this node, and has no way to refuse an upgrade with 503 for an
 * exception of the directory (an exception would fail the upgrade with a server error), so this
 * node keeps serving its clients; the price is that during the outage an id may be live on two
 * nodes. The claim is written to Redis by the first {@link #refresh} after Redis returns, which
 * also logs an id that another node claimed meanwhile.</li>
 * <li>{@link #refresh} and {@link #release} log nothing more and give up: a claim that could not
 * be refreshed is written again on the next heartbeat, one that could not be released expires.</li>
 * <li>{@link #locate} throws a {@link RedisClusterUnavailableException}: it cannot know.</li>
 * </ul>
 * While Redis is unreachable the directory asks it every
 * {@linkplain RedisCommands#RETRY_PAUSE second}; as soon as it answers, the directory claims every id
 * its server holds again (the server {@linkplain #attach(Supplier) attached} how to list them), in
 * batches, and logs how many, without waiting for the next heartbeat.
 *
 * <p>{@link #refreshAll(Collection)}, run by the heartbeat, refreshes {@value #BATCH_SIZE} ids per
 * round trip: the refresh script once per id, pipelined, so that it works as well on a Redis
 * Cluster, whose keys of one batch live in different slots, as on a single Redis.
 */
public final class RedisSessionDirectory implements SessionDirectory, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisSessionDirectory.class);

	/**
	 * Claims a free id, or one this node's id holds without a live session: the server asks only
	 * for ids it does not hold, so such a claim is left over (a node restarted under the same id,
	 * or a refresh that raced a release) and would otherwise refuse the id for a time to live.
	 */
	private static final RedisScript<Long> RESERVE = new DefaultRedisScript<>("""
			local owner = redis.call('GET', KEYS[1])
			if (not owner) or owner == ARGV[1] then
				redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
				return 1
			end
			return 0
			""", Long.class);

	/** Extends an own claim, writes a missing one again (after an outage), refuses another node's. */
	private static final RedisScript<Long> REFRESH = new DefaultRedisScript<>("""
			local owner = redis.call('GET', KEYS[1])
			if owner == ARGV[1] then
				redis.call('PEXPIRE', KEYS[1], ARGV[2])
				return 1
			end
			if not owner then
				redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
				return 2
			end
			return 0
			""", Long.class);

	/** Deletes a claim only when this node holds it. */
	private static final RedisScript<Long> RELEASE = new DefaultRedisScript<>("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
				return redis.call('DEL', KEYS[1])
			end
			return 0
			""", Long.class);

	/** How many ids one round trip of {@link #refreshAll(Collection)} refreshes. */
	static final int BATCH_SIZE = 500;

	private static final byte[] REFRESH_SOURCE = REFRESH.getScriptAsString().getBytes(StandardCharsets.UTF_8);

	private final StringRedisTemplate redis;

	private final RedisClusterSettings settings;

	private final LocalSessionDirectory memberships;

	private final RedisCommands commands;

	private final String ttlMillis;

	/** Asks Redis while it is unreachable, and claims the held ids again when it returns. */
	private final ScheduledExecutorService recovery;

	private volatile Supplier<? extends Collection<SessionId>> heldIds = List::of;

	/**
	 * Creates a directory.
	 * @param connectionFactory the connection to Redis
	 * @param settings the node id, key prefix, time to live and timeout
	 */
	public RedisSessionDirectory(RedisConnectionFactory connectionFactory, RedisClusterSettings settings) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.settings = settings;
		this.memberships = new LocalSessionDirectory(settings.nodeId());
		this.commands = new RedisCommands("session directory", settings.commandTimeout(), logger);
		this.ttlMillis = Long.toString(settings.sessionTtl().toMillis());
		this.recovery = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "cryo-redis-directory-recovery");
			thread.setDaemon(true);
			return thread;
		});
		this.commands.onRecovery(() -> this.recovery.execute(this::claimAgain));
		long pause = RedisCommands.RETRY_PAUSE.toMillis();
		this.recovery.scheduleWithFixedDelay(this::probe, pause, pause, TimeUnit.MILLISECONDS);
	}

	@Override
	public void attach(Supplier<? extends Collection<SessionId>> heldIds) {
		Assert.notNull(heldIds, "'heldIds' must not be null");
		this.heldIds = heldIds;
	}

	/** While Redis is thought unreachable, asks it whether it is back; the answer starts the recovery. */
	private void probe() {
		if (!this.commands.isUnavailable()) {
			return;
		}
		try {
			this.commands.run(() -> this.redis.execute((RedisCallback<String>) (connection) -> connection.ping()));
		}
		catch (RedisClusterUnavailableException ex) {
			// Still down: the next probe asks again.
		}
		catch (RuntimeException ex) {
			logger.debug("Probing Redis failed", ex);
		}
	}

	/** Claims every id the server holds again, right after Redis returned. */
	private void claimAgain() {
		List<SessionId> held = List.copyOf(this.heldIds.get());
		if (held.isEmpty()) {
			return;
		}
		int[] outcome = refreshBatches(held);
		if (outcome[3] > 0) {
			logger.info("Redis returned, but " + outcome[3] + " of the " + held.size()
					+ " session ids of this node could not be claimed again yet; the next heartbeat tries again");
		}
		else {
			logger.info("Redis returned: claimed the " + held.size() + " session ids of this node again ("
					+ outcome[2] + " had expired and were written again, " + outcome[1]
					+ " are claimed by another node)");
		}
	}

	/**
	 * Claims the id cluster-wide; while Redis is unreachable, on this node alone (see the class
	 * description).
	 */
	@Override
	public boolean reserve(SessionId sessionId) {
		String key = key(sessionId);
		try {
			Long granted = this.commands
				.run(() -> this.redis.execute(RESERVE, List.of(key), this.settings.nodeId(), this.ttlMillis));
			return granted != null && granted == 1L;
		}
		catch (RedisClusterUnavailableException ex) {
			// Logged once per outage by the command runner; the next refresh writes the claim.
			return true;
		}
	}

	@Override
	public void refresh(SessionId sessionId) {
		String key = key(sessionId);
		Long outcome;
		try {
			outcome = this.commands.run(() -> this.redis.execute(REFRESH, List.of(key), this.settings.nodeId(),
					this.ttlMillis));
		}
		catch (RedisClusterUnavailableException ex) {
			return;
		}
		if (outcome != null && outcome == 0L) {
			warnClaimedElsewhere(sessionId);
		}
	}

	private void warnClaimedElsewhere(SessionId sessionId) {
		logger.warn("Cryo session " + sessionId + " is live on this node (" + this.settings.nodeId()
				+ ") but claimed in Redis by another node; it was probably opened on both while Redis was unreachable");
	}

	/**
	 * Refreshes the claims in batches of {@value #BATCH_SIZE}, one round trip each (see the class
	 * description); a batch that fails while Redis is unreachable is left to the next heartbeat.
	 */
	@Override
	public void refreshAll(Collection<SessionId> sessionIds) {
		Assert.notNull(sessionIds, "'sessionIds' must not be null");
		refreshBatches(List.copyOf(sessionIds));
	}

	/**
	 * Refreshes the ids batch by batch.
	 * @return the counts: extended, refused (another node's), written again, not done (Redis down)
	 */
	private int[] refreshBatches(List<SessionId> ids) {
		int[] outcome = new int[4];
		for (int from = 0; from < ids.size(); from += BATCH_SIZE) {
			List<SessionId> batch = ids.subList(from, Math.min(ids.size(), from + BATCH_SIZE));
			List<Object> results;
			try {
				results = this.commands.run(() -> refreshPipelined(batch));
			}
			catch (RedisClusterUnavailableException ex) {
				outcome[3] += ids.size() - from;
				return outcome;
			}
			for (int i = 0; i < batch.size(); i++) {
				Object result = (i < results.size()) ? results.get(i) : null;
				if (result instanceof Long number && number == 0L) {
					outcome[1]++;
					warnClaimedElsewhere(batch.get(i));
				}
				else if (result instanceof Long number && number == 2L) {
					outcome[2]++;
				}
				else {
					outcome[0]++;
				}
			}
		}
		return outcome;
	}

	/**
	 * Runs the refresh script once per id in one pipeline: by its digest, and when Redis (or a
	 * node of a Redis Cluster) does not know the script yet, once more with its source, which
	 * also teaches it the script.
	 */
	private List<Object> refreshPipelined(List<SessionId> batch) {
		byte[] node = this.settings.nodeId().getBytes(StandardCharsets.UTF_8);
		byte[] ttl = this.ttlMillis.getBytes(StandardCharsets.UTF_8);
		String sha = REFRESH.getSha1();
		try {
			return this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
				for (SessionId sessionId : batch) {
					connection.scriptingCommands()
						.evalSha(sha, ReturnType.INTEGER, 1, key(sessionId).getBytes(StandardCharsets.UTF_8), node,
								ttl);
				}
				return null;
			});
		}
		catch (RedisPipelineException ex) {
			if (!mentionsNoScript(ex) && ex.getPipelineResult().stream().noneMatch(RedisSessionDirectory::mentionsNoScript)) {
				throw ex;
			}
			return this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
				for (SessionId sessionId : batch) {
					connection.scriptingCommands()
						.eval(REFRESH_SOURCE, ReturnType.INTEGER, 1, key(sessionId).getBytes(StandardCharsets.UTF_8),
								node, ttl);
				}
				return null;
			});
		}
	}

	/** Whether a failure, or one of its causes, is Redis's answer that it does not know the script. */
	private static boolean mentionsNoScript(@Nullable Object result) {
		for (Throwable current = (result instanceof Throwable failure) ? failure : null; current != null; current = current
			.getCause()) {
			if (String.valueOf(current.getMessage()).contains("NOSCRIPT")) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	@Override
	public void release(SessionId sessionId) {
		String key = key(sessionId);
		try {
			this.commands.run(() -> this.redis.execute(RELEASE, List.of(key), this.settings.nodeId()));
		}
		catch (RedisClusterUnavailableException ex) {
			// The claim expires after its time to live.
		}
	}

	/**
	 * Finds the node that claims the id in Redis.
	 * @throws RedisClusterUnavailableException when Redis cannot be reached
	 */
	@Override
	public Optional<String> locate(SessionId sessionId) {
		String key = key(sessionId);
		return Optional.ofNullable(this.commands.run(() -> this.redis.opsForValue().get(key)));
	}

	/** Records the membership on this node only (see the class description). */
	@Override
	public void join(SessionId sessionId, String group) {
		this.memberships.join(sessionId, group);
	}

	/** Removes the membership on this node only (see the class description). */
	@Override
	public void leave(SessionId sessionId, String group) {
		this.memberships.leave(sessionId, group);
	}

	/** Answers for this node's sessions only (see the class description). */
	@Override
	public Set<SessionId> members(String group) {
		return this.memberships.members(group);
	}

	/** Counts the groups with members on this node only. */
	@Override
	public int groupCount() {
		return this.memberships.groupCount();
	}

	/**
	 * Returns whether the last command failed and Redis is thought unreachable.
	 * @return {@code true} during an outage
	 */
	public boolean isRedisUnavailable() {
		return this.commands.isUnavailable();
	}

	/**
	 * Sets what is told of the failed commands, for metrics.
	 * @param observer the observer, {@link RedisClusterObserver#NONE} to tell nothing
	 */
	public void setObserver(RedisClusterObserver observer) {
		Assert.notNull(observer, "'observer' must not be null");
		this.commands.observer(observer);
	}

	/**
	 * Returns the settings this directory claims with.
	 * @return the settings
	 */
	public RedisClusterSettings settings() {
		return this.settings;
	}

	/** Stops the threads that run the commands. Claims still held expire after their time to live. */
	@Override
	public void close() {
		this.recovery.shutdownNow();
		this.commands.close();
	}

	private String key(SessionId sessionId) {
		Assert.notNull(sessionId, "'sessionId' must not be null");
		return this.settings.sessionKey(sessionId.toString());
	}

}
