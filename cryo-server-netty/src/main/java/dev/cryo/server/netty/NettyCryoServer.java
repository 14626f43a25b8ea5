package dev.cryo.server.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.support.CryoServerLifecycle;
import dev.cryo.server.support.CryoSessionFactory;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.server.support.UpgradeGate;
import dev.cryo.server.web.OriginCheck;

/**
 * Serves the Cryo endpoint of a {@link DefaultCryoServer} with Netty on a port of its own: HTTP/1.1
 * upgrades on the endpoint's paths (404 for any other path), decided by the same Origin rule and
 * {@link UpgradeGate} as on the servlet stack, then the server's sessions over Netty channels
 * (see {@link NettyTransport}), optionally over TLS.
 *
 * <p>{@link #start()} binds the port. {@link #stop()} shuts down gracefully: the Cryo server's
 * {@link CryoServerLifecycle} sends BYE to every session and closes them after its grace period
 * (nothing happens if it has already stopped, as in a Spring context, where it stops in an
 * earlier phase), then the port and every remaining connection are closed and the event loops
 * and the upgrade threads end. As a {@link SmartLifecycle} it starts before and stops after the
 * Cryo server's lifecycle.
 */
public final class NettyCryoServer implements SmartLifecycle, AutoCloseable {

	/** The name of the per-connection handler in the channel pipeline, once upgraded. */
	static final String CRYO_HANDLER = "cryo";

	/** The lifecycle phase: before {@link CryoServerLifecycle} on start, after it on stop. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	/** An upgrade request has no body; a request with a larger one is answered 413. */
	private static final int MAX_UPGRADE_BODY = 1024;

	private static final Log logger = LogFactory.getLog(NettyCryoServer.class);

	private final Builder settings;

	private final CryoServerLifecycle lifecycle;

	private final Shared shared;

	private final ThreadPoolExecutor upgradeExecutor;

	private final @Nullable ThreadPoolExecutor handlerExecutor;

	private final Object monitor = new Object();

	/** The TLS context of new connections; replaced when the certificates are renewed. */
	private volatile @Nullable SslContext sslContext;

	private @Nullable EventLoopGroup group;

	private @Nullable Channel serverChannel;

	private @Nullable ChannelGroup connections;

	/**
	 * The port bound first, bound again by every later start, so that a restarted server (a
	 * paused Spring context, say) keeps the port its clients and {@code local.cryo.port} know,
	 * also when the configured one is 0.
	 */
	private int boundPort;

	private NettyCryoServer(Builder builder) {
		this.settings = builder;
		this.sslContext = builder.sslContext;
		this.lifecycle = builder.server.lifecycle();
		CryoSessionFactory sessions = builder.server.sessionFactory();
		CryoServerObserver observer = sessions.observer();
		this.upgradeExecutor = new ThreadPoolExecutor(builder.upgradeThreads, builder.upgradeThreads, 60,
				TimeUnit.SECONDS, new ArrayBlockingQueue<>(builder.upgradeQueueCapacity),
				new CustomizableThreadFactory("cryo-netty-upgrade-"));
		this.upgradeExecutor.allowCoreThreadTimeOut(true);
		UpgradeGate gate = new UpgradeGate(builder.authenticator, builder.authenticationTimeout,
				builder.server.sessionRegistry(), observer, sessions.dialects());
		if (builder.handlerThreads > 0) {
			// At most one task per connection waits here (MessageDispatcher), so the queue is
			// bounded by the number of connections.
			ThreadPoolExecutor handlers = new ThreadPoolExecutor(builder.handlerThreads, builder.handlerThreads, 60,
					TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new CustomizableThreadFactory("cryo-netty-handler-"));
			handlers.allowCoreThreadTimeOut(true);
			this.handlerExecutor = handlers;
		}
		else {
			this.handlerExecutor = null;
		}
		this.shared = new Shared(Set.copyOf(builder.paths), new OriginCheck(builder.allowedOrigins,
				builder.allowedOriginPatterns, observer), gate, sessions, this.upgradeExecutor, builder.upgradeTimeout,
				this.handlerExecutor);
	}

	/**
	 * Starts describing a server for the endpoint of a Cryo server.
	 * @param server the Cryo server whose sessions the endpoint opens
	 * @param authenticator decides who opens a session (for example a
	 * {@link dev.cryo.server.support.PooledAuthenticator} of the application's token validator)
	 * @return the builder
	 */
	public static Builder builder(DefaultCryoServer server, CryoAuthenticator authenticator) {
		return new Builder(server, authenticator);
	}

	/**
	 * Binds the port and serves it. Does nothing when running.
	 * @throws IllegalStateException if the port cannot be bound
	 */
	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.serverChannel != null) {
				return;
			}
			EventLoopGroup group = new MultiThreadIoEventLoopGroup(this.settings.eventLoopThreads,
					new DefaultThreadFactory("cryo-netty"), NioIoHandler.newFactory());
			ChannelGroup connections = new DefaultChannelGroup("cryo-netty", GlobalEventExecutor.INSTANCE);
			boolean secure = this.sslContext != null;
			try {
				Channel channel = new ServerBootstrap().group(group)
					.channel(NioServerSocketChannel.class)
					.option(ChannelOption.SO_BACKLOG, this.settings.backlog)
					.childOption(ChannelOption.TCP_NODELAY, true)
					.childHandler(new ChannelInitializer<SocketChannel>() {
						@Override
						protected void initChannel(SocketChannel channel) {
							connections.add(channel);
							ChannelPipeline pipeline = channel.pipeline();
							SslContext ssl = NettyCryoServer.this.sslContext;
							if (ssl != null) {
								pipeline.addLast(ssl.newHandler(channel.alloc()));
							}
							int head = NettyCryoServer.this.settings.maxUpgradeRequestSize;
							// A bearer token may make the request line long; an upgrade has no body.
							pipeline.addLast(new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(head)
								.setMaxHeaderSize(head)), new HttpObjectAggregator(MAX_UPGRADE_BODY),
									new NettyUpgradeHandler(NettyCryoServer.this.shared, secure));
						}
					})
					.bind(new InetSocketAddress(this.settings.address, port()))
					.syncUninterruptibly()
					.channel();
				this.group = group;
				this.connections = connections;
				this.serverChannel = channel;
				this.boundPort = ((InetSocketAddress) channel.localAddress()).getPort();
			}
			catch (RuntimeException ex) {
				group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
				throw new IllegalStateException("Cryo could not bind port " + port() + ": " + ex, ex);
			}
			logger.info("Cryo endpoint " + this.shared.paths() + " served by Netty on port " + port()
					+ (secure ? " (TLS)" : ""));
		}
	}

	/**
	 * Replaces the TLS context for the connections accepted from now on, for example with
	 * renewed certificates; connections already open keep theirs.
	 * @param sslContext the new server context
	 * @throws IllegalStateException if the server was built without TLS
	 */
	public void updateSslContext(SslContext sslContext) {
		Assert.notNull(sslContext, "'sslContext' must not be null");
		Assert.isTrue(!sslContext.isClient(), "'sslContext' must be a server context");
		Assert.state(this.sslContext != null, "The server was built without TLS");
		this.sslContext = sslContext;
	}

	/**
	 * Stops gracefully; see the class description. Does nothing when not running.
	 */
	@Override
	public void stop() {
		synchronized (this.monitor) {
			Channel channel = this.serverChannel;
			EventLoopGroup group = this.group;
			ChannelGroup connections = this.connections;
			if (channel == null || group == null || connections == null) {
				return;
			}
			// BYE to every session while its connection is still served.
			this.lifecycle.stop();
			channel.close().syncUninterruptibly();
			connections.close().awaitUninterruptibly(NettyTransport.CLOSE_SEND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
			group.shutdownGracefully(0, this.settings.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.awaitUninterruptibly(this.settings.shutdownTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
			this.serverChannel = null;
			this.group = null;
			this.connections = null;
		}
	}

	/**
	 * Stops, and ends the upgrade and handler threads for good: a closed server cannot be started
	 * again.
	 */
	@Override
	public void close() {
		stop();
		this.upgradeExecutor.shutdownNow();
		if (this.handlerExecutor != null) {
			this.handlerExecutor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (this.monitor) {
			return this.serverChannel != null;
		}
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Returns the port the server listens on.
	 * @return the bound port (also while stopped, once it was started), or the configured one
	 * before the first start
	 */
	public int port() {
		synchronized (this.monitor) {
			return (this.boundPort != 0) ? this.boundPort : this.settings.port;
		}
	}

	/**
	 * Returns the number of open connections, upgraded or not.
	 * @return the connections
	 */
	public int connectionCount() {
		synchronized (this.monitor) {
			ChannelGroup connections = this.connections;
			return (connections != null) ? connections.size() : 0;
		}
	}

	/**
	 * Returns a Netty {@link SslContext} of a server for a JDK {@link SSLContext}, as an SSL
	 * bundle creates one.
	 * @param context the JDK context, with the server's key material
	 * @param clientAuth whether clients must present a certificate (mutual TLS)
	 * @return the Netty context
	 */
	@SuppressWarnings("deprecation") // Netty prefers its builder, which cannot wrap an existing SSLContext.
	public static SslContext serverSslContext(SSLContext context, ClientAuth clientAuth) {
		return new JdkSslContext(context, false, clientAuth);
	}

	/**
	 * What every connection's handlers share.
	 *
	 * @param paths the endpoint's paths
	 * @param origins the Origin rule
	 * @param gate decides upgrades
	 * @param sessions opens sessions
	 * @param upgradeExecutor runs the gate, off the event loops
	 * @param upgradeTimeout how long a connection may take to send its upgrade request
	 * @param handlerExecutor runs the sessions' message handlers, or {@code null} to run them on
	 * the event loops
	 */
	record Shared(Set<String> paths, OriginCheck origins, UpgradeGate gate, CryoSessionFactory sessions,
			Executor upgradeExecutor, Duration upgradeTimeout, @Nullable Executor handlerExecutor) {

	}

	/** Describes a {@link NettyCryoServer}; every setting has a default but the server and authenticator. */
	public static final class Builder {

		/**
		 * The default number of threads that run upgrade decisions: each waits for the
		 * authenticator, as one of a servlet container's 200 request threads does.
		 */
		public static final int DEFAULT_UPGRADE_THREADS = 200;

		/** The default number of upgrades that may wait for such a thread. */
		public static final int DEFAULT_UPGRADE_QUEUE_CAPACITY = 1000;

		/** The default number of threads that run the sessions' message handlers. */
		public static final int DEFAULT_HANDLER_THREADS = 200;

		/** The default time a connection has to send its upgrade request. */
		public static final Duration DEFAULT_UPGRADE_TIMEOUT = Duration.ofSeconds(10);

		/** The default size limit of an upgrade request's head (request line, headers). */
		public static final int DEFAULT_MAX_UPGRADE_REQUEST_SIZE = 16 * 1024;

		private final DefaultCryoServer server;

		private final CryoAuthenticator authenticator;

		private @Nullable InetAddress address;

		private int port;

		private Collection<String> paths = List.of("/cryo");

		private Duration authenticationTimeout = UpgradeGate.DEFAULT_AUTHENTICATION_TIMEOUT;

		private Collection<String> allowedOrigins = List.of();

		private Collection<String> allowedOriginPatterns = List.of();

		private @Nullable SslContext sslContext;

		private int eventLoopThreads = Runtime.getRuntime().availableProcessors();

		private int upgradeThreads = DEFAULT_UPGRADE_THREADS;

		private int handlerThreads = DEFAULT_HANDLER_THREADS;

		private int upgradeQueueCapacity = DEFAULT_UPGRADE_QUEUE_CAPACITY;

		private Duration upgradeTimeout = DEFAULT_UPGRADE_TIMEOUT;

		private int maxUpgradeRequestSize = DEFAULT_MAX_UPGRADE_REQUEST_SIZE;

		private int backlog = 1024;

		private Duration shutdownTimeout = Duration.ofSeconds(2);

		private Builder(DefaultCryoServer server, CryoAuthenticator authenticator) {
			Assert.notNull(server, "'server' must not be null");
			Assert.notNull(authenticator, "'authenticator' must not be null");
			this.server = server;
			this.authenticator = authenticator;
		}

		/**
		 * Sets the port; 0 (the default) for any free one.
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(int port) {
			Assert.isTrue(port >= 0 && port <= 65535, "'port' must be between 0 and 65535");
			this.port = port;
			return this;
		}

		/**
		 * Sets the address to bind; all addresses by default.
		 * @param address the address, or {@code null} for all
		 * @return this builder
		 */
		public Builder address(@Nullable InetAddress address) {
			this.address = address;
			return this;
		}

		/**
		 * Sets the paths of the endpoint; {@code /cryo} by default.
		 * @param paths the paths, each starting with {@code /}
		 * @return this builder
		 */
		public Builder paths(Collection<String> paths) {
			Assert.notEmpty(paths, "'paths' must not be empty");
			this.paths = List.copyOf(paths);
			return this;
		}

		/**
		 * Sets how long an upgrade waits for the authenticator before it is refused with 401.
		 * @param timeout the timeout, positive
		 * @return this builder
		 */
		public Builder authenticationTimeout(Duration timeout) {
			Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(),
					"'timeout' must be positive");
			this.authenticationTimeout = timeout;
			return this;
		}

		/**
		 * Sets the origins allowed besides the server's own, and the patterns of allowed
		 * origins, as {@link OriginCheck} reads them.
		 * @param origins the allowed origins; {@code *} allows every origin
		 * @param patterns the allowed origin patterns
		 * @return this builder
		 */
		public Builder allowedOrigins(Collection<String> origins, Collection<String> patterns) {
			this.allowedOrigins = List.copyOf(origins);
			this.allowedOriginPatterns = List.copyOf(patterns);
			return this;
		}

		/**
		 * Serves TLS with a Netty context (see {@link NettyCryoServer#serverSslContext}); plain
		 * text by default.
		 * @param sslContext the server context, or {@code null} for plain text
		 * @return this builder
		 */
		public Builder sslContext(@Nullable SslContext sslContext) {
			Assert.isTrue(sslContext == null || !sslContext.isClient(), "'sslContext' must be a server context");
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * Sets the number of event-loop threads; one per processor by default.
		 * @param threads the threads, positive
		 * @return this builder
		 */
		public Builder eventLoopThreads(int threads) {
			Assert.isTrue(threads > 0, "'threads' must be positive");
			this.eventLoopThreads = threads;
			return this;
		}

		/**
		 * Sets the threads that run upgrade decisions (they wait for the authenticator) and how
		 * many upgrades may wait for one; a further upgrade is refused with 503.
		 * @param threads the threads, positive; {@value #DEFAULT_UPGRADE_THREADS} by default
		 * @param queueCapacity the waiting upgrades, positive; {@value #DEFAULT_UPGRADE_QUEUE_CAPACITY}
		 * by default
		 * @return this builder
		 */
		public Builder upgradeThreads(int threads, int queueCapacity) {
			Assert.isTrue(threads > 0, "'threads' must be positive");
			Assert.isTrue(queueCapacity > 0, "'queueCapacity' must be positive");
			this.upgradeThreads = threads;
			this.upgradeQueueCapacity = queueCapacity;
			return this;
		}

		/**
		 * Sets the threads that run the sessions' message handlers (the application's code), so
		 * that a slow handler slows its own session only; {@value #DEFAULT_HANDLER_THREADS} by
		 * default, created as needed, like a servlet container's request threads. 0 runs the
		 * handlers on the event loops, which saves a thread hand-off per message but lets one
		 * slow handler stall every connection of its event loop: only for handlers that never
		 * block.
		 * @param threads the threads, or 0 for none
		 * @return this builder
		 */
		public Builder handlerThreads(int threads) {
			Assert.isTrue(threads >= 0, "'threads' must not be negative");
			this.handlerThreads = threads;
			return this;
		}

		/**
		 * Sets how long a new connection may take to send its upgrade request before it is
		 * closed (the decision is bounded by the authentication timeout); 10 s by default.
		 * @param timeout the timeout, positive
		 * @return this builder
		 */
		public Builder upgradeTimeout(Duration timeout) {
			Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(),
					"'timeout' must be positive");
			this.upgradeTimeout = timeout;
			return this;
		}

		/**
		 * Sets the longest request line (with its query, which may carry the token) and the
		 * most header bytes of an upgrade request; a request over either is answered 400.
		 * @param bytes the size, positive; 16 KiB by default
		 * @return this builder
		 */
		public Builder maxUpgradeRequestSize(int bytes) {
			Assert.isTrue(bytes > 0, "'bytes' must be positive");
			this.maxUpgradeRequestSize = bytes;
			return this;
		}

		/**
		 * Builds the server, not started.
		 * @return the server
		 */
		public NettyCryoServer build() {
			return new NettyCryoServer(this);
		}

	}

}
