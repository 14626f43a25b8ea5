package dev.cryo.server;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.cryo.core.engine.SessionState;
import dev.cryo.server.extension.CryoExtension;
import dev.cryo.server.extension.CryoExtensions;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.session.CryoHeartbeat;
import dev.cryo.server.session.CryoPeerConnector;
import dev.cryo.server.session.CryoSessionFactory;
import dev.cryo.server.session.CryoSessionRegistry;
import dev.cryo.server.session.DefaultCryoSession;

/**
 * The Cryo server: its live sessions, broadcast and multicast, the extension registry, and the
 * lifecycle of the shared timer that drives heartbeats and ack timeouts. This is the bean
 * applications inject.
 *
 * <p>As a {@link SmartLifecycle} it starts the heartbeat with the application context and, on
 * stop, ends every session with BYE {@value #SHUTDOWN_REASON} before the web server's own
 * graceful shutdown begins.
 */
public class CryoServer implements SmartLifecycle, DisposableBean {

	/** The BYE reason sessions get when the server shuts down. */
	public static final String SHUTDOWN_REASON = "Server shutdown.";

	private static final Log logger = LogFactory.getLog(CryoServer.class);

	/** How long a shutdown waits for the connections to report their close after it closed them. */
	private static final long CLOSE_WAIT_MILLIS = 2000;

	private static final Duration DEFAULT_PEER_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private final CryoSessionRegistry registry;

	private final Duration shutdownGracePeriod;

	private final CryoExtensions extensions = new CryoExtensions();

	private final ScheduledThreadPoolExecutor scheduler;

	/** Runs the blocking work of transactions: reading sources and serving pulls. */
	private final ExecutorService streamExecutor;

	private final CryoSessionFactory sessionFactory;

	private final CryoHeartbeat heartbeat;

	private final CryoPeerConnector peerConnector;

	private volatile boolean running;

	/**
	 * Creates a server.
	 * @param settings heartbeat interval and session options
	 * @param eventPublisher where session events go
	 */
	public CryoServer(CryoServerSettings settings, ApplicationEventPublisher eventPublisher) {
		this(settings, eventPublisher, CryoServerObserver.NOOP);
	}

	/**
	 * Creates a server that reports sessions, refused upgrades and traffic to an observer.
	 * @param settings heartbeat interval and session options
	 * @param eventPublisher where session events go
	 * @param observer told what the server and its sessions do (metrics)
	 */
	public CryoServer(CryoServerSettings settings, ApplicationEventPublisher eventPublisher,
			CryoServerObserver observer) {
		this.registry = new CryoSessionRegistry(settings.maxSessions());
		this.shutdownGracePeriod = settings.shutdownGracePeriod();
		this.scheduler = new ScheduledThreadPoolExecutor(1, new CustomizableThreadFactory("cryo-timer-"));
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.streamExecutor = Executors.newCachedThreadPool(new CustomizableThreadFactory("cryo-stream-"));
		this.sessionFactory = new CryoSessionFactory(this.registry, this.extensions, eventPublisher,
				settings.sessionOptions(), this.scheduler, this.streamExecutor, observer);
		this.heartbeat = new CryoHeartbeat(this.registry, this.scheduler, settings.keepAliveInterval());
		this.peerConnector = new CryoPeerConnector(this.sessionFactory);
	}

	// ---- sessions

	/**
	 * Returns the live sessions.
	 * @return a snapshot
	 */
	public List<CryoSession> sessions() {
		return List.copyOf(this.registry.sessions());
	}

	/**
	 * Finds a live session by id.
	 * @param id the session id (unsigned 64-bit value)
	 * @return the session, if live
	 */
	public Optional<CryoSession> session(long id) {
		return this.registry.find(id).map(CryoSession.class::cast);
	}

	/**
	 * Returns the number of live sessions.
	 * @return the count
	 */
	public int sessionCount() {
		return this.registry.sessions().size();
	}

	/**
	 * Sends a UTF-8 message to every open session.
	 * @param text the message
	 * @return each session's send future
	 */
	public Map<CryoSession, CompletableFuture<Void>> broadcastUtf8(String text) {
		return multicastUtf8((session) -> true, text);
	}

	/**
	 * Sends a binary message to every open session.
	 * @param payload the remaining bytes; not consumed
	 * @return each session's send future
	 */
	public Map<CryoSession, CompletableFuture<Void>> broadcastBinary(ByteBuffer payload) {
		return multicastBinary((session) -> true, payload);
	}

	/**
	 * Sends a UTF-8 message to every open session the filter accepts.
	 * @param filter chooses the recipients
	 * @param text the message
	 * @return each recipient's send future
	 */
	public Map<CryoSession, CompletableFuture<Void>> multicastUtf8(Predicate<? super CryoSession> filter, String text) {
		return multicast(filter, (session) -> session.sendUtf8(text));
	}

	/**
	 * Sends a binary message to every open session the filter accepts. Each session gets its
	 * own view of the payload, so no position is shared.
	 * @param filter chooses the recipients
	 * @param payload the remaining bytes; not consumed
	 * @return each recipient's send future
	 */
	public Map<CryoSession, CompletableFuture<Void>> multicastBinary(Predicate<? super CryoSession> filter,
			ByteBuffer payload) {
		ByteBuffer shared = payload.asReadOnlyBuffer();
		return multicast(filter, (session) -> session.sendBinary(shared.duplicate()));
	}

	private Map<CryoSession, CompletableFuture<Void>> multicast(Predicate<? super CryoSession> filter,
			Function<CryoSession, CompletableFuture<Void>> send) {
		Map<CryoSession, CompletableFuture<Void>> sent = new LinkedHashMap<>();
		for (DefaultCryoSession session : this.registry.sessions()) {
			if (session.isOpen() && filter.test(session)) {
				sent.put(session, send.apply(session));
			}
		}
		return sent;
	}

	// ---- peers

	/**
	 * Opens a link to another Cryo server, waiting at most 10 s for it to be established. See
	 * {@link #connectPeer(URI, String, Duration)}.
	 * @param endpoint the other server's Cryo endpoint, {@code ws:} or {@code wss:}
	 * @param token a bearer token the other server accepts
	 * @return completes with the session of the link
	 */
	public CompletableFuture<CryoSession> connectPeer(URI endpoint, String token) {
		return connectPeer(endpoint, token, DEFAULT_PEER_CONNECT_TIMEOUT);
	}

	/**
	 * Opens a link to another Cryo server. On the link this server is the client (it picks the
	 * session id and answers pings), but the session is one of this server's like any other:
	 * it is listed by {@link #sessions()}, publishes the usual events, passes the extension
	 * chain, is pinged by the heartbeat, ends with the server, and reports
	 * {@link CryoSession#isPeer()} {@code true}. A lost link is not reopened by itself; listen
	 * for its {@link dev.cryo.server.event.CryoSessionClosedEvent} to do that.
	 * @param endpoint the other server's Cryo endpoint, {@code ws:} or {@code wss:}
	 * @param token a bearer token the other server accepts
	 * @param timeout the limit from the TCP connect to the established session
	 * @return completes with the session once both ENDPOINT_INFO frames are exchanged; fails
	 * with a {@link dev.cryo.client.CryoConnectException} (refused, unreachable, timeout,
	 * version mismatch) or an {@link IllegalStateException} when this server is not running
	 */
	public CompletableFuture<CryoSession> connectPeer(URI endpoint, String token, Duration timeout) {
		if (!this.running) {
			return CompletableFuture.failedFuture(new IllegalStateException("The Cryo server is not running"));
		}
		return this.peerConnector.connect(endpoint, token, timeout);
	}

	// ---- extensions

	/**
	 * Adds an extension to the chain in its {@code @Order} position.
	 * @param extension the extension
	 * @throws IllegalArgumentException if its name is taken
	 */
	public void registerExtension(CryoExtension extension) {
		this.extensions.register(extension, this);
	}

	/**
	 * Adds an extension to the chain at an explicit order (lower first; equal orders keep their
	 * registration order), e.g. the order declared on the {@code @Bean} method that made it.
	 * @param extension the extension
	 * @param order the order
	 * @throws IllegalArgumentException if its name is taken
	 */
	public void registerExtension(CryoExtension extension, int order) {
		this.extensions.register(extension, order, this);
	}

	/**
	 * Removes an extension from the chain.
	 * @param name the extension's name
	 * @return the removed extension, if it was registered
	 */
	public Optional<CryoExtension> unregisterExtension(String name) {
		return this.extensions.unregister(name, this);
	}

	/**
	 * Finds a registered extension.
	 * @param name the extension's name
	 * @return the extension, if registered
	 */
	public Optional<CryoExtension> extension(String name) {
		return this.extensions.find(name);
	}

	/**
	 * Returns the registered extensions in chain order.
	 * @return an immutable snapshot
	 */
	public List<CryoExtension> extensions() {
		return this.extensions.all();
	}

	// ---- wiring for the transport

	/**
	 * Returns the session factory the WebSocket handler opens sessions with.
	 * @return the factory
	 */
	public CryoSessionFactory sessionFactory() {
		return this.sessionFactory;
	}

	/**
	 * Returns the registry the handshake reserves session ids in.
	 * @return the registry
	 */
	public CryoSessionRegistry sessionRegistry() {
		return this.registry;
	}

	// ---- lifecycle

	@Override
	public void start() {
		this.registry.startAccepting();
		this.heartbeat.start();
		this.running = true;
	}

	/**
	 * Shuts the server down gracefully: refuses new upgrades (503), sends BYE
	 * {@value #SHUTDOWN_REASON} to every session, waits up to the grace period for their ACKs,
	 * then closes every connection with 4000.
	 */
	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.registry.stopAccepting();
		this.heartbeat.stop();
		List<DefaultCryoSession> sessions = this.registry.sessions();
		CompletableFuture<?>[] goodbyes = sessions.stream()
			.map((session) -> session.goodbye(SHUTDOWN_REASON).exceptionally((failure) -> null))
			.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(goodbyes).get(this.shutdownGracePeriod.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.info("Cryo shutdown grace period of " + this.shutdownGracePeriod.toMillis()
					+ " ms ended before every session acknowledged its BYE");
		}
		catch (ExecutionException ex) {
			// Each goodbye already turned its failure into a completion.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		sessions.forEach(DefaultCryoSession::terminate);
		awaitClosed(sessions);
	}

	/**
	 * Releases what a stopped server still holds: the extensions are unregistered and the
	 * timer thread ends. A stopped server can be started again until it is destroyed.
	 */
	@Override
	public void destroy() {
		stop();
		for (CryoExtension extension : this.extensions.all()) {
			this.extensions.unregister(extension.name(), this);
		}
		this.scheduler.shutdownNow();
		this.streamExecutor.shutdownNow();
	}

	private void awaitClosed(List<DefaultCryoSession> sessions) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
		for (DefaultCryoSession session : sessions) {
			while (session.state() != SessionState.CLOSED && System.nanoTime() - deadline < 0) {
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Cryo server stopped " + sessions.size() + " session(s)");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Runs the stop callback before the web server's graceful shutdown, so that sessions get
	 * their BYE while the connections are still served.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

}
