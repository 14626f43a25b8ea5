package dev.cryo.server.support;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.HandshakeDetails;
import dev.cryo.server.TokenValidator;

/**
 * A {@link CryoAuthenticator} made of a blocking authentication (a {@link TokenValidator}, Spring
 * Security's {@code AuthenticationManager}): it runs on a bounded pool of its own, never on the
 * upgrade request's thread, so a slow one holds a container thread no longer than the
 * authentication timeout. A request without a token, or an authentication that throws, is
 * refused with the message of cryo-v1.md §2.3. When every thread is busy and the queue is full,
 * the stage fails with {@link RejectedExecutionException} at once (503). An authentication still
 * queued when its upgrade gave up waiting is skipped.
 *
 * <p>Close it to stop the pool; idle threads also end by themselves after a minute.
 */
public final class PooledAuthenticator implements CryoAuthenticator, AutoCloseable {

	/** The threads of the pool when none are given. */
	public static final int DEFAULT_MAX_THREADS = 16;

	/** The authentications that may wait for a thread when no limit is given. */
	public static final int DEFAULT_QUEUE_CAPACITY = 256;

	private static final Log logger = LogFactory.getLog(PooledAuthenticator.class);

	/** Chooses, on the upgrade's thread, what runs on the pool. */
	private final Function<HandshakeDetails, BlockingAuthentication> authentication;

	private final ThreadPoolExecutor executor;

	/**
	 * Creates an authenticator with {@value #DEFAULT_MAX_THREADS} threads and a queue of
	 * {@value #DEFAULT_QUEUE_CAPACITY}.
	 * @param authentication the blocking authentication
	 */
	public PooledAuthenticator(BlockingAuthentication authentication) {
		this(authentication, DEFAULT_MAX_THREADS, DEFAULT_QUEUE_CAPACITY);
	}

	/**
	 * Creates an authenticator.
	 * @param authentication the blocking authentication
	 * @param maxThreads the most authentications that run at once
	 * @param queueCapacity the most authentications that wait for a thread; 0 for none
	 */
	public PooledAuthenticator(BlockingAuthentication authentication, int maxThreads, int queueCapacity) {
		this(constant(authentication), maxThreads, queueCapacity);
	}

	/**
	 * Creates an authenticator whose authentication is chosen for each request on the upgrade's
	 * own thread, where the request is still at hand (Spring Security's
	 * {@code AuthenticationManagerResolver} picks a manager by request), and then run on the pool.
	 * @param authentication chooses the blocking authentication for a request; must not block
	 * @param maxThreads the most authentications that run at once
	 * @param queueCapacity the most authentications that wait for a thread; 0 for none
	 */
	public PooledAuthenticator(Function<HandshakeDetails, BlockingAuthentication> authentication, int maxThreads,
			int queueCapacity) {
		Assert.notNull(authentication, "'authentication' must not be null");
		Assert.isTrue(maxThreads >= 1, "'maxThreads' must be at least 1");
		Assert.isTrue(queueCapacity >= 0, "'queueCapacity' must not be negative");
		this.authentication = authentication;
		BlockingQueue<Runnable> queue = (queueCapacity > 0) ? new ArrayBlockingQueue<>(queueCapacity)
				: new SynchronousQueue<>();
		AtomicInteger threads = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(maxThreads, maxThreads, 60, TimeUnit.SECONDS, queue, (task) -> {
			Thread thread = new Thread(task, "cryo-authentication-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}, new ThreadPoolExecutor.AbortPolicy());
		// Threads only while upgrades come in.
		this.executor.allowCoreThreadTimeOut(true);
	}

	/**
	 * Creates an authenticator that runs a {@link TokenValidator}: a valid token opens the
	 * session for {@link CryoPrincipal#ANONYMOUS}, an invalid one is refused.
	 * @param validator the validator
	 * @param maxThreads the most validations that run at once
	 * @param queueCapacity the most validations that wait for a thread; 0 for none
	 * @return the authenticator
	 */
	public static PooledAuthenticator of(TokenValidator validator, int maxThreads, int queueCapacity) {
		Assert.notNull(validator, "'validator' must not be null");
		return new PooledAuthenticator((token, handshake) -> validator.isValid(token)
				? CryoAuthentication.authenticated(CryoPrincipal.ANONYMOUS)
				: CryoAuthentication.refused(CryoAuthentication.INVALID_TOKEN_MESSAGE), maxThreads, queueCapacity);
	}

	/**
	 * Creates an authenticator that runs a {@link TokenValidator} on a pool of default size.
	 * @param validator the validator
	 * @return the authenticator
	 * @see #of(TokenValidator, int, int)
	 */
	public static PooledAuthenticator of(TokenValidator validator) {
		return of(validator, DEFAULT_MAX_THREADS, DEFAULT_QUEUE_CAPACITY);
	}

	private static Function<HandshakeDetails, BlockingAuthentication> constant(
			BlockingAuthentication authentication) {
		Assert.notNull(authentication, "'authentication' must not be null");
		return (handshake) -> authentication;
	}

	@Override
	public CompletionStage<CryoAuthentication> authenticate(HandshakeDetails handshake) {
		String token = handshake.token();
		if (token == null || token.isEmpty()) {
			return CompletableFuture.completedFuture(CryoAuthentication.refused(CryoAuthentication.INVALID_TOKEN_MESSAGE));
		}
		BlockingAuthentication authentication;
		try {
			authentication = this.authentication.apply(handshake);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.completedFuture(refusal(ex));
		}
		CompletableFuture<CryoAuthentication> result = new CompletableFuture<>();
		try {
			this.executor.execute(() -> {
				// The upgrade stopped waiting (timeout): nobody needs the answer any more.
				if (!result.isDone()) {
					result.complete(run(authentication, token, handshake));
				}
			});
		}
		catch (RejectedExecutionException ex) {
			result.completeExceptionally(ex);
		}
		return result;
	}

	private static CryoAuthentication run(BlockingAuthentication authentication, String token,
			HandshakeDetails handshake) {
		try {
			return authentication.authenticate(token, handshake);
		}
		catch (RuntimeException ex) {
			return refusal(ex);
		}
	}

	private static CryoAuthentication refusal(RuntimeException ex) {
		// The exception text may contain the token, so only its type is logged.
		logger.warn("Cryo authentication threw " + ex.getClass().getName() + "; refusing the upgrade");
		return CryoAuthentication.refused(CryoAuthentication.INVALID_TOKEN_MESSAGE);
	}

	/**
	 * Returns the authentications running now.
	 * @return the busy threads, at most the pool's size
	 */
	public int activeCount() {
		return this.executor.getActiveCount();
	}

	/**
	 * Returns the authentications waiting for a thread.
	 * @return the queue's length
	 */
	public int queuedCount() {
		return this.executor.getQueue().size();
	}

	/** Stops the pool; authentications not yet started are dropped and their upgrades time out. */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/**
	 * An authentication that may block the thread it runs on, e.g. to fetch a key set or to
	 * introspect the token at an authorization server.
	 */
	@FunctionalInterface
	public interface BlockingAuthentication {

		/**
		 * Authenticates an upgrade's bearer token.
		 * @param token the bearer token, never empty
		 * @param handshake what else the request carries
		 * @return the outcome; a refusal's message goes into the 401 body
		 */
		CryoAuthentication authenticate(String token, HandshakeDetails handshake);

	}

}
