package dev.cryo.server.support;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

import org.springframework.context.ApplicationEventPublisher;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoExtension;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.CryoSession;
import dev.cryo.server.observer.CryoServerObserver;

/**
 * The default {@link CryoServer} and the composition root of a Cryo server: it builds the
 * session registry, the session factory, the extension chain, the peer connector and the
 * {@link CryoServerLifecycle} that owns the shared timer and stream pool.
 *
 * <p>Register {@link #lifecycle()} as a bean next to this one (the Boot auto-configuration
 * does), or the server is never started. The web layer opens sessions through
 * {@link #sessionFactory()} and reserves session ids in {@link #sessionRegistry()}; neither is
 * part of the {@link CryoServer} interface that applications use.
 */
public class DefaultCryoServer implements CryoServer {

	private static final Duration DEFAULT_PEER_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private final CryoSessionRegistry registry;

	private final CryoExtensions extensions = new CryoExtensions();

	private final CryoServerLifecycle lifecycle;

	private final CryoSessionFactory sessionFactory;

	private final CryoPeerConnector peerConnector;

	/**
	 * Creates a server.
	 * @param settings heartbeat interval and session options
	 * @param eventPublisher where session events go
	 */
	public DefaultCryoServer(CryoServerSettings settings, ApplicationEventPublisher eventPublisher) {
		this(settings, eventPublisher, CryoServerObserver.NOOP);
	}

	/**
	 * Creates a server that reports sessions, refused upgrades and traffic to an observer.
	 * @param settings heartbeat interval and session options
	 * @param eventPublisher where session events go
	 * @param observer told what the server and its sessions do (metrics)
	 */
	public DefaultCryoServer(CryoServerSettings settings, ApplicationEventPublisher eventPublisher,
			CryoServerObserver observer) {
		this.registry = new CryoSessionRegistry(settings.maxSessions());
		this.lifecycle = new CryoServerLifecycle(this.registry, settings, this::unregisterAllExtensions);
		this.sessionFactory = new CryoSessionFactory(this.registry, this.extensions, eventPublisher,
				settings.sessionOptions(), this.lifecycle.scheduler(), this.lifecycle.streamExecutor(), observer);
		this.peerConnector = new CryoPeerConnector(this.sessionFactory);
	}

	@Override
	public List<CryoSession> sessions() {
		return List.copyOf(this.registry.sessions());
	}

	@Override
	public Optional<CryoSession> session(SessionId id) {
		return this.registry.find(id).map(CryoSession.class::cast);
	}

	@Override
	public int sessionCount() {
		return this.registry.sessions().size();
	}

	@Override
	public boolean isRunning() {
		return this.lifecycle.isRunning();
	}

	@Override
	public boolean isAcceptingSessions() {
		return this.registry.isAccepting();
	}

	@Override
	public Map<CryoSession, CompletableFuture<Void>> broadcastUtf8(String text) {
		return multicastUtf8((session) -> true, text);
	}

	@Override
	public Map<CryoSession, CompletableFuture<Void>> broadcastBinary(ByteBuffer payload) {
		return multicastBinary((session) -> true, payload);
	}

	@Override
	public Map<CryoSession, CompletableFuture<Void>> multicastUtf8(Predicate<? super CryoSession> filter,
			String text) {
		return multicast(filter, (session) -> session.sendUtf8(text));
	}

	@Override
	public Map<CryoSession, CompletableFuture<Void>> multicastBinary(Predicate<? super CryoSession> filter,
			ByteBuffer payload) {
		ByteBuffer shared = payload.asReadOnlyBuffer();
		return multicast(filter, (session) -> session.sendBinary(shared.duplicate()));
	}

	private Map<CryoSession, CompletableFuture<Void>> multicast(Predicate<? super CryoSession> filter,
			Function<CryoSession, CompletableFuture<Void>> send) {
		Map<CryoSession, CompletableFuture<Void>> sent = new LinkedHashMap<>();
		for (ServerSession session : this.registry.sessions()) {
			if (session.isOpen() && filter.test(session)) {
				sent.put(session, send.apply(session));
			}
		}
		return sent;
	}

	@Override
	public CompletableFuture<CryoSession> connectPeer(URI endpoint, String token) {
		return connectPeer(endpoint, token, DEFAULT_PEER_CONNECT_TIMEOUT);
	}

	@Override
	public CompletableFuture<CryoSession> connectPeer(URI endpoint, String token, Duration timeout) {
		if (!this.lifecycle.isRunning()) {
			return CompletableFuture.failedFuture(new IllegalStateException("The Cryo server is not running"));
		}
		return this.peerConnector.connect(endpoint, token, timeout);
	}

	@Override
	public void registerExtension(CryoExtension extension) {
		this.extensions.register(extension, this);
	}

	@Override
	public void registerExtension(CryoExtension extension, int order) {
		this.extensions.register(extension, order, this);
	}

	@Override
	public Optional<CryoExtension> unregisterExtension(String name) {
		return this.extensions.unregister(name, this);
	}

	@Override
	public Optional<CryoExtension> extension(String name) {
		return this.extensions.find(name);
	}

	@Override
	public List<CryoExtension> extensions() {
		return this.extensions.all();
	}

	private void unregisterAllExtensions() {
		for (CryoExtension extension : this.extensions.all()) {
			this.extensions.unregister(extension.name(), this);
		}
	}

	/**
	 * Returns the lifecycle that starts and stops this server; register it as a bean.
	 * @return the lifecycle
	 */
	public CryoServerLifecycle lifecycle() {
		return this.lifecycle;
	}

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

}
