package dev.cryo.server.support;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoExtension;
import dev.cryo.server.CryoGroup;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.CryoSession;
import dev.cryo.server.GroupLimits;
import dev.cryo.server.PeerLinkOptions;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.LocalClusterBroadcaster;
import dev.cryo.server.cluster.LocalDelivery;
import dev.cryo.server.cluster.LocalSessionDirectory;
import dev.cryo.server.cluster.SessionDirectory;
import dev.cryo.server.handler.CryoMessageHandler;
import dev.cryo.server.handler.EventPublishingMessageHandler;
import dev.cryo.server.observer.CryoServerObserver;

/**
 * The default {@link CryoServer} and the composition root of a Cryo server: it builds the
 * session registry (on a {@link SessionDirectory}), the session factory, the extension chain,
 * the message handler chain (the given {@link CryoMessageHandler}s, then event publication),
 * the peer connector and the {@link CryoServerLifecycle} that owns the shared timer and stream
 * pool. Multicasts by {@link SessionSelector} and broadcasts go through a
 * {@link ClusterBroadcaster}. Without a {@linkplain #builder builder} the directory and the
 * broadcaster are the local, in-memory ones.
 *
 * <p>Register {@link #lifecycle()} as a bean next to this one (the Boot auto-configuration
 * does), or the server is never started. The web layer opens sessions through
 * {@link #sessionFactory()} and reserves session ids in {@link #sessionRegistry()}; neither is
 * part of the {@link CryoServer} interface that applications use.
 */
public class DefaultCryoServer implements CryoServer {

	private final CryoSessionRegistry registry;

	private final SessionDirectory sessionDirectory;

	private final CryoExtensions extensions = new CryoExtensions();

	private final CryoServerLifecycle lifecycle;

	private final CryoSessionFactory sessionFactory;

	private final CryoPeerConnector peerConnector;

	private final ClusterBroadcaster broadcaster;

	private final GroupLimits groupLimits;

	/** How the broadcaster reaches the sessions of this server. */
	private final LocalDelivery localDelivery = this::deliverLocally;

	/**
	 * Creates a server.
	 * @param settings heartbeat interval and session options
	 * @param eventPublisher where session events go
	 */
	public DefaultCryoServer(CryoServerSettings settings, ApplicationEventPublisher eventPublisher) {
		this(builder(settings, eventPublisher));
	}

	/**
	 * Creates a server that reports sessions, refused upgrades and traffic to an observer.
	 * @param settings heartbeat interval and session options
	 * @param eventPublisher where session events go
	 * @param observer told what the server and its sessions do (metrics)
	 */
	public DefaultCryoServer(CryoServerSettings settings, ApplicationEventPublisher eventPublisher,
			CryoServerObserver observer) {
		this(builder(settings, eventPublisher).observer(observer));
	}

	/**
	 * Creates a server that speaks the given dialects next to Cryo v1. At each upgrade the
	 * dialects are asked in order whether they recognise the request; v1, asked last, takes
	 * every request the others leave.
	 * @param settings heartbeat interval and session options
	 * @param eventPublisher where session events go
	 * @param observer told what the server and its sessions do (metrics)
	 * @param dialects the application's dialects, in the order they are asked
	 */
	public DefaultCryoServer(CryoServerSettings settings, ApplicationEventPublisher eventPublisher,
			CryoServerObserver observer, List<? extends CryoDialect> dialects) {
		this(builder(settings, eventPublisher).observer(observer).dialects(dialects));
	}

	private DefaultCryoServer(Builder builder) {
		CryoServerSettings settings = builder.settings;
		this.registry = new CryoSessionRegistry(settings.maxSessions(), builder.sessionDirectory);
		this.sessionDirectory = builder.sessionDirectory;
		this.lifecycle = new CryoServerLifecycle(this.registry, settings, this::unregisterAllExtensions,
				builder.observer);
		MessageHandlerChain handlers = new MessageHandlerChain(builder.messageHandlers,
				new EventPublishingMessageHandler(builder.eventPublisher));
		this.sessionFactory = new CryoSessionFactory(new ServerResources(this.registry, this.extensions, handlers,
				builder.eventPublisher, settings.sessionOptions(), this.lifecycle.scheduler(),
				this.lifecycle.streamExecutor(), this.lifecycle.spillSpace(), builder.observer,
				settings.groupLimits(), builder.closeOnTokenExpiry),
				new CryoDialects(builder.dialects), settings.receiveLimits());
		this.peerConnector = new CryoPeerConnector(this.sessionFactory);
		this.broadcaster = builder.clusterBroadcaster;
		this.groupLimits = settings.groupLimits();
		this.broadcaster.attach(this.localDelivery);
		this.sessionDirectory.attach(this.registry::heldIds);
	}

	/**
	 * Starts building a server with everything but the settings and the event publisher at its
	 * default: no observer, no message handlers (every message becomes an event), the local
	 * session directory and the local broadcaster.
	 * @param settings heartbeat interval and session options
	 * @param eventPublisher where session events go
	 * @return the builder
	 */
	public static Builder builder(CryoServerSettings settings, ApplicationEventPublisher eventPublisher) {
		return new Builder(settings, eventPublisher);
	}

	@Override
	public List<CryoSession> sessions() {
		return List.copyOf(this.registry.sessions());
	}

	@Override
	public Optional<CryoSession> session(SessionId id) {
		return this.registry.find(id).map(CryoSession.class::cast);
	}

	/**
	 * Asks the server's {@link SessionDirectory}: in a cluster, the node that claims the id
	 * (which may throw when the directory's store cannot be reached); on a single node, this
	 * node's id for the ids it holds.
	 */
	@Override
	public Optional<String> locate(SessionId id) {
		return this.sessionDirectory.locate(id);
	}

	@Override
	public int sessionCount() {
		return this.registry.sessions().size();
	}

	@Override
	public int sessionCount(String dialect) {
		int count = 0;
		for (ServerSession session : this.registry.sessions()) {
			if (session.dialect().equals(dialect)) {
				count++;
			}
		}
		return count;
	}

	@Override
	public List<CryoSession> sessionsOf(String principalName) {
		Assert.notNull(principalName, "'principalName' must not be null");
		return List.copyOf(this.registry.sessionsOf(principalName));
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
		return multicastUtf8(SessionSelector.all(), text).localDeliveries();
	}

	@Override
	public Map<CryoSession, CompletableFuture<Void>> broadcastBinary(ByteBuffer payload) {
		return multicastBinary(SessionSelector.all(), payload).localDeliveries();
	}

	@Override
	public BroadcastResult multicastUtf8(SessionSelector selector, String text) {
		return this.broadcaster.broadcast(selector, new ClusterMessage.Utf8(text), this.localDelivery);
	}

	@Override
	public BroadcastResult multicastBinary(SessionSelector selector, ByteBuffer payload) {
		return this.broadcaster.broadcast(selector, new ClusterMessage.Binary(payload), this.localDelivery);
	}

	@Override
	public CompletableFuture<Void> sendUtf8(SessionId id, String text) {
		Assert.notNull(id, "'id' must not be null");
		return this.broadcaster.send(id, new ClusterMessage.Utf8(text), this.localDelivery);
	}

	@Override
	public CompletableFuture<Void> sendBinary(SessionId id, ByteBuffer payload) {
		Assert.notNull(id, "'id' must not be null");
		return this.broadcaster.send(id, new ClusterMessage.Binary(payload), this.localDelivery);
	}

	@Override
	public CryoGroup group(String name) {
		return new ServerGroup(this, this.groupLimits.checkName(name));
	}

	/**
	 * Returns the open sessions of this node that a selector chooses.
	 * @param selector chooses the sessions
	 * @return a snapshot
	 */
	List<CryoSession> localSessions(SessionSelector selector) {
		List<CryoSession> chosen = new ArrayList<>();
		for (ServerSession session : candidates(selector)) {
			if (session.isOpen() && selector.matches(session)) {
				chosen.add(session);
			}
		}
		return chosen;
	}

	/**
	 * Returns the sessions a selector may choose from: for a group, its members as the
	 * membership index lists them, and for a user, that user's sessions as the principal index
	 * lists them, so that the cost follows their number; for an id, that session; otherwise
	 * every session.
	 */
	private Collection<ServerSession> candidates(SessionSelector selector) {
		SessionSelector narrowed = selector;
		while (narrowed instanceof SessionSelector.Except except) {
			narrowed = except.selector();
		}
		if (narrowed instanceof SessionSelector.ByGroup group) {
			return this.registry.groupMembers(group.name());
		}
		if (narrowed instanceof SessionSelector.ByUser user) {
			return this.registry.sessionsOf(user.name());
		}
		if (narrowed instanceof SessionSelector.ById byId) {
			return this.registry.find(byId.id()).map(List::of).orElse(List.of());
		}
		return this.registry.sessions();
	}

	private Map<CryoSession, CompletableFuture<Void>> deliverLocally(SessionSelector selector,
			ClusterMessage message) {
		return multicast(candidates(selector), selector::matches, message::sendTo);
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
		return multicast(this.registry.sessions(), filter, send);
	}

	private static Map<CryoSession, CompletableFuture<Void>> multicast(Collection<ServerSession> candidates,
			Predicate<? super CryoSession> filter, Function<CryoSession, CompletableFuture<Void>> send) {
		Map<CryoSession, CompletableFuture<Void>> sent = new LinkedHashMap<>();
		for (ServerSession session : candidates) {
			if (session.isOpen() && filter.test(session)) {
				sent.put(session, send.apply(session));
			}
		}
		return sent;
	}

	@Override
	public CompletableFuture<CryoSession> connectPeer(URI endpoint, String token, PeerLinkOptions options) {
		Assert.notNull(options, "'options' must not be null");
		if (!this.lifecycle.isRunning()) {
			return CompletableFuture.failedFuture(new IllegalStateException("The Cryo server is not running"));
		}
		return this.peerConnector.connect(endpoint, token, options);
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

	/** Collects what a {@link DefaultCryoServer} is built from; see {@link DefaultCryoServer#builder}. */
	public static final class Builder {

		private final CryoServerSettings settings;

		private final ApplicationEventPublisher eventPublisher;

		private CryoServerObserver observer = CryoServerObserver.NOOP;

		private List<? extends CryoMessageHandler> messageHandlers = List.of();

		private SessionDirectory sessionDirectory = new LocalSessionDirectory();

		private ClusterBroadcaster clusterBroadcaster = new LocalClusterBroadcaster();

		private List<? extends CryoDialect> dialects = List.of();

		private boolean closeOnTokenExpiry;

		private Builder(CryoServerSettings settings, ApplicationEventPublisher eventPublisher) {
			Assert.notNull(settings, "'settings' must not be null");
			Assert.notNull(eventPublisher, "'eventPublisher' must not be null");
			this.settings = settings;
			this.eventPublisher = eventPublisher;
		}

		/**
		 * Sets the observer the server and its sessions report to (metrics).
		 * @param observer the observer
		 * @return this builder
		 */
		public Builder observer(CryoServerObserver observer) {
			Assert.notNull(observer, "'observer' must not be null");
			this.observer = observer;
			return this;
		}

		/**
		 * Sets the inbound message handlers, asked in the given order before the message is
		 * published as an event.
		 * @param messageHandlers the handlers, first asked first
		 * @return this builder
		 */
		public Builder messageHandlers(List<? extends CryoMessageHandler> messageHandlers) {
			Assert.notNull(messageHandlers, "'messageHandlers' must not be null");
			this.messageHandlers = List.copyOf(messageHandlers);
			return this;
		}

		/**
		 * Sets the dialects spoken next to Cryo v1, asked in the given order at each upgrade
		 * whether they recognise the request; v1, asked last, takes every request they leave.
		 * @param dialects the application's dialects, first asked first
		 * @return this builder
		 */
		public Builder dialects(List<? extends CryoDialect> dialects) {
			Assert.notNull(dialects, "'dialects' must not be null");
			this.dialects = List.copyOf(dialects);
			return this;
		}

		/**
		 * Sets where session ids are claimed.
		 * @param sessionDirectory the directory
		 * @return this builder
		 */
		public Builder sessionDirectory(SessionDirectory sessionDirectory) {
			Assert.notNull(sessionDirectory, "'sessionDirectory' must not be null");
			this.sessionDirectory = sessionDirectory;
			return this;
		}

		/**
		 * Sets what multicasts by selector and broadcasts go through.
		 * @param clusterBroadcaster the broadcaster
		 * @return this builder
		 */
		public Builder clusterBroadcaster(ClusterBroadcaster clusterBroadcaster) {
			Assert.notNull(clusterBroadcaster, "'clusterBroadcaster' must not be null");
			this.clusterBroadcaster = clusterBroadcaster;
			return this;
		}

		/**
		 * Sets whether a session whose authentication attributes say when its token expires
		 * ({@link CryoAuthentication#EXPIRES_AT_ATTRIBUTE}) is closed then, with BYE
		 * {@value CryoAuthentication#TOKEN_EXPIRED_REASON}. Off by default: a token is checked
		 * once, at the upgrade.
		 * @param closeOnTokenExpiry whether to close sessions whose token expired
		 * @return this builder
		 */
		public Builder closeOnTokenExpiry(boolean closeOnTokenExpiry) {
			this.closeOnTokenExpiry = closeOnTokenExpiry;
			return this;
		}

		/**
		 * Builds the server; register its {@link DefaultCryoServer#lifecycle() lifecycle} as a
		 * bean too.
		 * @return the server
		 */
		public DefaultCryoServer build() {
			return new DefaultCryoServer(this);
		}

	}

}
