package dev.cryo.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.web.server.Ssl.ClientAuth;
import org.springframework.util.unit.DataSize;

import dev.cryo.core.engine.BackpressureProfile;
import dev.cryo.core.engine.BackpressureSettings;
import dev.cryo.core.engine.DropPolicy;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.transaction.TransactionOptions;
import dev.cryo.server.GroupLimits;
import dev.cryo.server.ReceiveLimits;

/**
 * Configuration properties for the Cryo server.
 *
 * <p>Over 400 lines because every property carries its javadoc (the metadata users see in
 * their IDE) and the nested groups live here, as in Spring Boot's own properties classes.
 */
@ConfigurationProperties("cryo")
public class CryoProperties implements InitializingBean {

	/**
	 * Whether to enable the Cryo server.
	 */
	private boolean enabled = true;

	/**
	 * Path of the Cryo WebSocket endpoint on the application's web server.
	 */
	private String path = "/cryo";

	/**
	 * Interval of the heartbeat: every session is pinged once per interval and closed when it
	 * did not answer the previous ping.
	 */
	private Duration keepAliveInterval = Duration.ofSeconds(15);

	/**
	 * Time a tracked frame waits for its ACK before its send future fails.
	 */
	private Duration ackTimeout = Duration.ofMillis(2500);

	/**
	 * Time a new connection has to send its ENDPOINT_INFO before it is closed with 4001 if it
	 * sent no frame at all; a connection that did send frames is opened without an
	 * ENDPOINT_INFO instead. Zero disables the check.
	 */
	private Duration endpointInfoTimeout = Duration.ofSeconds(10);

	/**
	 * Time after the WebSocket upgrade before the server writes its first frame
	 * (ENDPOINT_INFO), as a write of its own after the 101 response. The published Node clients
	 * attach their message listener late and lose a frame that arrives in the same read as the
	 * 101; a client that does not wait for the server's frame loses nothing by the delay. Zero
	 * keeps the separate write without waiting.
	 */
	private Duration firstFrameDelay = Duration.ofMillis(20);

	/**
	 * Time after a client that has sent no ENDPOINT_INFO acknowledged the server's before the
	 * session is opened without it, as for the published clients that never send one
	 * (cryo-client-node 1.3, camp-client-browser). A client that sends data or a transaction
	 * first is opened at once; one that sends nothing at all is still closed after
	 * endpoint-info-timeout.
	 */
	private Duration endpointInfoGrace = Duration.ofSeconds(1);

	/**
	 * Number of malformed frames after which a session is closed with 4001.
	 */
	private int maxMalformedFrames = 16;

	/**
	 * Origins allowed to open a session from a browser, e.g. "https://example.com", or "*" for
	 * any. Same-origin requests and clients that send no Origin header are always allowed; other
	 * origins are refused with 403 and a warning in the log.
	 */
	private List<String> allowedOrigins = new ArrayList<>();

	/**
	 * Patterns of origins allowed to open a session from a browser, in addition to
	 * allowed-origins, e.g. "https://*.example.com" or "http://localhost:[*]".
	 */
	private List<String> allowedOriginPatterns = new ArrayList<>();

	/**
	 * Port of a dedicated connector for the Cryo endpoint; when set, the endpoint answers only
	 * there and the application's own port no longer serves it. 0 picks a free port, published
	 * as "local.cryo.port". Unset, the endpoint shares server.port.
	 */
	private @Nullable Integer port;

	/**
	 * What serves the Cryo endpoint: the servlet container (servlet, the default) or Netty
	 * (netty, with cryo-server-netty on the class path) on cryo.port, which it then requires.
	 */
	private Transport transport = Transport.SERVLET;

	/**
	 * Most sessions at once; further upgrades are refused with 503. 0 means no limit.
	 */
	private int maxSessions;

	/**
	 * Time a single message may wait for the peer to accept it; a peer that accepts nothing for
	 * this long is closed with 1008. Zero disables the deadline.
	 */
	private Duration sendTimeout = Duration.ofSeconds(30);

	/**
	 * Default size of the WebSocket container's per-connection message buffers, binary and text
	 * alike (text in characters). The Cryo endpoint takes messages in parts and reassembles large
	 * ones on demand, so a small buffer keeps idle connections cheap; other WebSocket endpoints
	 * of the application that do not accept partial messages need it as large as their largest
	 * message. When not set, 1KB is used if Cryo is the application's only WebSocket endpoint,
	 * and the container's own defaults are kept if there are others.
	 */
	private @Nullable DataSize messageBufferSize;

	private final Backpressure backpressure = new Backpressure();

	private final Ssl ssl = new Ssl();

	private final Netty netty = new Netty();

	private final Tomcat tomcat = new Tomcat();

	private final Compression compression = new Compression();

	private final Shutdown shutdown = new Shutdown();

	private final Transactions transactions = new Transactions();

	private final Limits limits = new Limits();

	private final V1 v1 = new V1();

	private final Dialects dialects = new Dialects();

	private final ClientScript clientScript = new ClientScript();

	private final Groups groups = new Groups();
	private final Authentication authentication = new Authentication();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public Duration getKeepAliveInterval() {
		return this.keepAliveInterval;
	}

	public void setKeepAliveInterval(Duration keepAliveInterval) {
		this.keepAliveInterval = keepAliveInterval;
	}

	public Duration getAckTimeout() {
		return this.ackTimeout;
	}

	public void setAckTimeout(Duration ackTimeout) {
		this.ackTimeout = ackTimeout;
	}

	public Duration getEndpointInfoTimeout() {
		return this.endpointInfoTimeout;
	}

	public void setEndpointInfoTimeout(Duration endpointInfoTimeout) {
		this.endpointInfoTimeout = endpointInfoTimeout;
	}

	public Duration getFirstFrameDelay() {
		return this.firstFrameDelay;
	}

	public void setFirstFrameDelay(Duration firstFrameDelay) {
		this.firstFrameDelay = firstFrameDelay;
	}

	public Duration getEndpointInfoGrace() {
		return this.endpointInfoGrace;
	}

	public void setEndpointInfoGrace(Duration endpointInfoGrace) {
		this.endpointInfoGrace = endpointInfoGrace;
	}

	public int getMaxMalformedFrames() {
		return this.maxMalformedFrames;
	}

	public void setMaxMalformedFrames(int maxMalformedFrames) {
		this.maxMalformedFrames = maxMalformedFrames;
	}

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public List<String> getAllowedOriginPatterns() {
		return this.allowedOriginPatterns;
	}

	public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
		this.allowedOriginPatterns = allowedOriginPatterns;
	}

	public @Nullable Integer getPort() {
		return this.port;
	}

	public void setPort(@Nullable Integer port) {
		this.port = port;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public void setTransport(Transport transport) {
		this.transport = transport;
	}

	public int getMaxSessions() {
		return this.maxSessions;
	}

	public void setMaxSessions(int maxSessions) {
		this.maxSessions = maxSessions;
	}

	public Duration getSendTimeout() {
		return this.sendTimeout;
	}

	public void setSendTimeout(Duration sendTimeout) {
		this.sendTimeout = sendTimeout;
	}

	public @Nullable DataSize getMessageBufferSize() {
		return this.messageBufferSize;
	}

	public void setMessageBufferSize(@Nullable DataSize messageBufferSize) {
		this.messageBufferSize = messageBufferSize;
	}

	public Backpressure getBackpressure() {
		return this.backpressure;
	}

	public Netty getNetty() {
		return this.netty;
	}

	public Tomcat getTomcat() {
		return this.tomcat;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Compression getCompression() {
		return this.compression;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Transactions getTransactions() {
		return this.transactions;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public V1 getV1() {
		return this.v1;
	}

	public Dialects getDialects() {
		return this.dialects;
	}

	public ClientScript getClientScript() {
		return this.clientScript;
	}

	public Groups getGroups() {
		return this.groups;
	}

	public Authentication getAuthentication() {
		return this.authentication;
	}

	@Override
	public void afterPropertiesSet() {
		require(this.path.startsWith("/"), "cryo.path must start with '/'");
		require(isPositive(this.keepAliveInterval), "cryo.keep-alive-interval must be positive");
		require(isPositive(this.ackTimeout), "cryo.ack-timeout must be positive");
		require(!this.endpointInfoTimeout.isNegative(), "cryo.endpoint-info-timeout must not be negative");
		require(!this.firstFrameDelay.isNegative(), "cryo.first-frame-delay must not be negative");
		require(isPositive(this.endpointInfoGrace), "cryo.endpoint-info-grace must be positive");
		require(this.maxMalformedFrames >= 1, "cryo.max-malformed-frames must be at least 1");
		require(this.port == null || (this.port >= 0 && this.port <= 65535), "cryo.port must be between 0 and 65535");
		require(this.maxSessions >= 0, "cryo.max-sessions must not be negative");
		require(!this.sendTimeout.isNegative(), "cryo.send-timeout must not be negative");
		require(this.messageBufferSize == null
				|| (this.messageBufferSize.toBytes() >= 128 && this.messageBufferSize.toBytes() <= Integer.MAX_VALUE),
				"cryo.message-buffer-size must be between 128B and 2GB");
		require(this.transport != Transport.NETTY || this.port != null,
				"cryo.transport=netty needs cryo.port: the Netty transport serves the Cryo endpoint on a port of its own");
		require(this.ssl.getBundle() == null || this.port != null,
				"cryo.ssl.bundle needs cryo.port: TLS applies to the dedicated connector");
		require(this.ssl.getClientAuth() == ClientAuth.NONE || this.ssl.getBundle() != null,
				"cryo.ssl.client-auth needs cryo.ssl.bundle: client certificates are verified against its trust store");
		require(!this.shutdown.getGracePeriod().isNegative(), "cryo.shutdown.grace-period must not be negative");
		this.backpressure.validate();
		this.transactions.validate();
		this.limits.validate();
		this.dialects.getLegacy().validate();
		this.clientScript.validate(endpointPaths());
		this.groups.validate();
		this.authentication.validate();
		this.netty.validate();
	}

	/**
	 * Returns every path the endpoint is mapped to: {@link #getPath()} first, then the legacy
	 * CALE paths that differ from it.
	 * @return the paths, without repeats
	 */
	public Set<String> endpointPaths() {
		Set<String> paths = new LinkedHashSet<>();
		paths.add(this.path);
		if (this.dialects.getLegacy().isEnabled()) {
			paths.addAll(this.dialects.getLegacy().getCalePaths());
		}
		return paths;
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

	/**
	 * Cryo v1 sessions.
	 */
	public static class V1 {

		/**
		 * Transaction layout of Cryo v1 sessions whose client sent ENDPOINT_INFO: seed, the
		 * layout of the Cryo v1 specification, or cryo-protocol-1.4, the layout of
		 * cryo-protocol 1.1.8 to 1.4.2 that the reference server 3.0.x and the published Cryo v1
		 * clients use. Clients that never send ENDPOINT_INFO always get cryo-protocol-1.4, and
		 * a seed session switches to it when the client starts a transaction in it; set
		 * cryo-protocol-1.4 when the server must stream to such clients before they upload.
		 */
		private Layout transactionLayout = Layout.SEED;

		public Layout getTransactionLayout() {
			return this.transactionLayout;
		}

		public void setTransactionLayout(Layout transactionLayout) {
			this.transactionLayout = transactionLayout;
		}

		/**
		 * The transaction layouts of Cryo v1 (cryo-v1.md §10.5).
		 */
		public enum Layout {

			/** The layout of the Cryo v1 specification (cryo-v1.md §4.3). */
			SEED(TransactionLayout.SEED),

			/** The layout of cryo-protocol 1.1.8 to 1.4.2; written {@code cryo-protocol-1.4}. */
			CRYO_PROTOCOL_1_4(TransactionLayout.CRYO_PROTOCOL_1_4);

			private final TransactionLayout layout;

			Layout(TransactionLayout layout) {
				this.layout = layout;
			}

			/**
			 * Returns the engine's layout.
			 * @return the layout
			 */
			public TransactionLayout toLayout() {
				return this.layout;
			}

		}

	}

	/**
	 * The wire dialects the endpoint speaks next to Cryo v1, which is always on. The upgrade
	 * request alone decides which one a connection speaks.
	 */
	public static class Dialects {

		private final Camp camp = new Camp();

		private final Legacy legacy = new Legacy();

		public Camp getCamp() {
			return this.camp;
		}

		public Legacy getLegacy() {
			return this.legacy;
		}

		/**
		 * The legacy generation ("v0") of cryo-client-node 1.0.x, cryo-client-browser 1.0.x and
		 * cryo-client 2.x, with CALE encryption on the paths that ask for it.
		 */
		public static class Legacy {

			/**
			 * Whether to serve legacy clients: those whose x-cryo-sid is a UUID. Disabled, such a
			 * client is refused with 401 (Invalid SID supplied). On by default (issue 15), unlike
			 * the opt-in that legacy-v0.md §10 describes.
			 */
			private boolean enabled = true;

			/**
			 * Request paths whose legacy connections get CALE encryption, each an additional
			 * mapping of the Cryo endpoint (v1 and CAMP clients are served there too). Legacy
			 * connections on any other path get none. The clients do not say whether they want
			 * CALE, so point CALE-on clients at one of these paths and the others elsewhere.
			 */
			private List<String> calePaths = new ArrayList<>();

			/**
			 * How long a legacy session id is refused (401, The session already exists.) after its
			 * session ended with a CALE mismatch or handshake failure (close code 4010, 4011 or
			 * 1002), which would repeat on every reconnect. Zero disables the block.
			 */
			private Duration caleFailureBlock = Duration.ofSeconds(60);

			/**
			 * How long the live session of a legacy sid has to answer a ping when an authenticated
			 * client asks for the same sid (cryo-client-browser reconnects with its old sid, and
			 * retries after 5 s). The request is refused as a duplicate either way; a session that
			 * does not answer is closed as dead (4001), so the client's next attempt gets in. Zero
			 * disables the probe: the old session then goes when the heartbeat notices.
			 */
			private Duration reconnectProbe = Duration.ofSeconds(3);

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public List<String> getCalePaths() {
				return this.calePaths;
			}

			public void setCalePaths(List<String> calePaths) {
				this.calePaths = calePaths;
			}

			public Duration getReconnectProbe() {
				return this.reconnectProbe;
			}

			public void setReconnectProbe(Duration reconnectProbe) {
				this.reconnectProbe = reconnectProbe;
			}

			public Duration getCaleFailureBlock() {
				return this.caleFailureBlock;
			}

			public void setCaleFailureBlock(Duration caleFailureBlock) {
				this.caleFailureBlock = caleFailureBlock;
			}

			void validate() {
				for (String path : this.calePaths) {
					require(path != null && path.startsWith("/"),
							"cryo.dialects.legacy.cale-paths entries must start with '/'");
				}
				require(!this.caleFailureBlock.isNegative(), "cryo.dialects.legacy.cale-failure-block must not be negative");
				require(!this.reconnectProbe.isNegative(), "cryo.dialects.legacy.reconnect-probe must not be negative");
			}

		}

		/**
		 * CAMP, the successor of Cryo v1.
		 */
		public static class Camp {

			/**
			 * Whether to serve CAMP clients: those that offer the "camp" subprotocol or send
			 * their session id in x-camp-sid or x-CAMP-sid. Disabled, such a client is taken for
			 * a Cryo v1 client, and a published CAMP client, which sends no x-cryo-sid, is
			 * refused with 401 (No SID supplied).
			 */
			private boolean enabled = true;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

		}

	}

	/**
	 * The JavaScript client the server hands to browsers and other web applications.
	 */
	public static class ClientScript {

		/**
		 * Whether to serve the JavaScript client (cryo.mjs and its type declarations, cryo.d.ts)
		 * under the client script path, on the application's port and on cryo.port.
		 */
		private boolean enabled = true;

		/**
		 * Path under which the JavaScript client is served, such as /cryo-client for
		 * /cryo-client/cryo.mjs.
		 */
		private String path = "/cryo-client";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		void validate(Set<String> endpointPaths) {
			if (!this.enabled) {
				return;
			}
			require(this.path.startsWith("/") && this.path.length() > 1 && !this.path.endsWith("/"),
					"cryo.client-script.path must start with '/', must not end with '/' and must not be '/'");
			require(endpointPaths.stream().noneMatch((endpoint) -> endpoint.equals(this.path) || endpoint.startsWith(this.path + "/")),
					"cryo.client-script.path must not contain the Cryo endpoint's paths " + endpointPaths);
		}

	}

	/**
	 * What serves the Cryo endpoint.
	 */
	public enum Transport {

		/** The servlet container's WebSocket support, on server.port or a dedicated connector. */
		SERVLET,

		/** A Netty server of its own on cryo.port (cryo-server-netty). */
		NETTY

	}

	/**
	 * Tomcat, when it serves the Cryo endpoint (cryo.transport=servlet).
	 */
	public static class Tomcat {

		/**
		 * Whether Tomcat's connectors run the completions of asynchronous WebSocket sends on
		 * threads of their own rather than on the request threads, so that many clients closing
		 * at once cannot leave every request thread waiting for a completion queued behind
		 * them. Applies to connectors on Tomcat's default protocol.
		 */
		private boolean separateSendCompletions = true;

		public boolean isSeparateSendCompletions() {
			return this.separateSendCompletions;
		}

		public void setSeparateSendCompletions(boolean separateSendCompletions) {
			this.separateSendCompletions = separateSendCompletions;
		}

	}

	/**
	 * The Netty transport (cryo.transport=netty).
	 */
	public static class Netty {

		/**
		 * Event-loop threads that serve the connections. 0 means one per processor.
		 */
		private int eventLoopThreads;

		/**
		 * Threads that run the sessions' message handlers and event listeners, so that a slow
		 * one slows its own session only. 0 runs them on the event loops: one thread hand-off
		 * less per message, but only for handlers that never block.
		 */
		private int handlerThreads = 200;

		/**
		 * Threads that decide upgrades off the event loops, created as needed; each waits for
		 * the authenticator at most cryo.authentication.timeout, as a servlet container's
		 * request thread does (Tomcat has 200).
		 */
		private int upgradeThreads = 200;

		/**
		 * Most upgrades that wait for such a thread; further ones are refused with 503.
		 */
		private int upgradeQueueCapacity = 1000;

		/**
		 * Time a new connection has to send its upgrade request before it is closed.
		 */
		private Duration upgradeTimeout = Duration.ofSeconds(10);

		/**
		 * Longest request line (with the query, which may carry the token) and most header bytes
		 * of an upgrade request; a larger one is answered 400.
		 */
		private DataSize maxUpgradeRequestSize = DataSize.ofKilobytes(16);

		public int getEventLoopThreads() {
			return this.eventLoopThreads;
		}

		public void setEventLoopThreads(int eventLoopThreads) {
			this.eventLoopThreads = eventLoopThreads;
		}

		public int getHandlerThreads() {
			return this.handlerThreads;
		}

		public void setHandlerThreads(int handlerThreads) {
			this.handlerThreads = handlerThreads;
		}

		public int getUpgradeThreads() {
			return this.upgradeThreads;
		}

		public void setUpgradeThreads(int upgradeThreads) {
			this.upgradeThreads = upgradeThreads;
		}

		public int getUpgradeQueueCapacity() {
			return this.upgradeQueueCapacity;
		}

		public void setUpgradeQueueCapacity(int upgradeQueueCapacity) {
			this.upgradeQueueCapacity = upgradeQueueCapacity;
		}

		public Duration getUpgradeTimeout() {
			return this.upgradeTimeout;
		}

		public void setUpgradeTimeout(Duration upgradeTimeout) {
			this.upgradeTimeout = upgradeTimeout;
		}

		public DataSize getMaxUpgradeRequestSize() {
			return this.maxUpgradeRequestSize;
		}

		public void setMaxUpgradeRequestSize(DataSize maxUpgradeRequestSize) {
			this.maxUpgradeRequestSize = maxUpgradeRequestSize;
		}

		void validate() {
			require(this.eventLoopThreads >= 0, "cryo.netty.event-loop-threads must not be negative");
			require(this.handlerThreads >= 0, "cryo.netty.handler-threads must not be negative");
			require(this.upgradeThreads >= 1, "cryo.netty.upgrade-threads must be at least 1");
			require(this.upgradeQueueCapacity >= 1, "cryo.netty.upgrade-queue-capacity must be at least 1");
			require(isPositive(this.upgradeTimeout), "cryo.netty.upgrade-timeout must be positive");
			require(this.maxUpgradeRequestSize.toBytes() >= 1024
					&& this.maxUpgradeRequestSize.toBytes() <= 1024 * 1024,
					"cryo.netty.max-upgrade-request-size must be between 1KB and 1MB");
		}

	}

	/**
	 * TLS of the dedicated connector.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that secures the dedicated port, which
		 * then serves wss://. Requires cryo.port. A bundle with reload-on-update hands renewed
		 * certificates to the port without a restart.
		 */
		private @Nullable String bundle;

		/**
		 * Whether the dedicated port asks clients for a certificate (want) or requires one
		 * (need), verified against the SSL bundle's trust store. Requires cryo.ssl.bundle.
		 */
		private ClientAuth clientAuth = ClientAuth.NONE;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

	}

	/**
	 * WebSocket compression of the Cryo endpoint.
	 */
	public static class Compression {

		/**
		 * Whether to accept permessage-deflate when a client offers it, as browsers and the ws
		 * library always do. Each compressed session keeps a zlib deflater and inflater for its
		 * whole life, several times the memory of an idle uncompressed session, and costs CPU
		 * on every message; Cryo frames gain nothing from it unless their payloads compress
		 * well. Other WebSocket endpoints of the application are not affected.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Transactions: streamed data in both directions (cryo-v1.md §10).
	 */
	public static class Transactions {

		/**
		 * Payload size of the TX_CHUNK frames the server sends.
		 */
		private DataSize chunkSize = DataSize.ofKilobytes(64);

		/**
		 * Unread bytes of an incoming stream kept in memory. While the application's reader lags
		 * further behind, the rest waits in a temporary file that is deleted when the stream is
		 * closed, read to the end, or the session ends; a reader that keeps up never touches the
		 * disk. Outgoing pull transactions keep this much of their source in memory, the rest in
		 * a temporary file.
		 */
		private DataSize memoryThreshold = DataSize.ofMegabytes(1);

		/**
		 * Largest incoming transaction accepted; larger ones fail with an ERROR frame naming
		 * the txid. 0 means no limit.
		 */
		private DataSize maxSize = DataSize.ofGigabytes(4);

		/**
		 * Most incoming transactions running at once in a session; further TX_START frames are
		 * refused with an ERROR frame naming the txid.
		 */
		private int maxConcurrent = 8;

		/**
		 * Bytes requested per TX_PULL when the server receives in pull mode.
		 */
		private DataSize pullWindow = DataSize.ofMegabytes(1);

		/**
		 * Directory of the temporary files. Unset, the JVM's temporary directory.
		 */
		private @Nullable Path temporaryDirectory;

		/**
		 * Most outgoing transactions running at once in a session; further ones fail at once,
		 * before anything is sent.
		 */
		private int maxConcurrentOutgoing = 8;

		/**
		 * Bytes of an outgoing pull transaction's source read beyond the furthest byte the peer
		 * has pulled, so that the next window is ready when it is asked for.
		 */
		private DataSize pullReadAhead = DataSize.ofMegabytes(1);

		/**
		 * Bytes behind the furthest byte served that an outgoing pull transaction keeps
		 * addressable for ranges the peer requests again; a TX_PULL for older bytes is answered
		 * with an ERROR frame naming the txid.
		 */
		private DataSize pullRetention = DataSize.ofMegabytes(16);

		/**
		 * Most bytes in the temporary files of all sessions' transactions at once. When it is
		 * used up, new incoming transactions are refused and a transaction that needs more fails,
		 * each with an ERROR frame naming the txid. 0 means no limit.
		 */
		private DataSize spillQuota = DataSize.ofGigabytes(8);

		/**
		 * Usable space that temporary files always leave on the disk of the temporary
		 * directory; below it, transactions are refused as when the spill quota is used up.
		 */
		private DataSize minFreeSpace = DataSize.ofMegabytes(512);

		/**
		 * Most threads that read the sources of outgoing transactions and serve pulls, for all
		 * sessions together. Transactions do not hold a thread while they wait for their peer.
		 */
		private int maxThreads = 8;

		public DataSize getChunkSize() {
			return this.chunkSize;
		}

		public void setChunkSize(DataSize chunkSize) {
			this.chunkSize = chunkSize;
		}

		public DataSize getMemoryThreshold() {
			return this.memoryThreshold;
		}

		public void setMemoryThreshold(DataSize memoryThreshold) {
			this.memoryThreshold = memoryThreshold;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

		public int getMaxConcurrent() {
			return this.maxConcurrent;
		}

		public void setMaxConcurrent(int maxConcurrent) {
			this.maxConcurrent = maxConcurrent;
		}

		public DataSize getPullWindow() {
			return this.pullWindow;
		}

		public void setPullWindow(DataSize pullWindow) {
			this.pullWindow = pullWindow;
		}

		public @Nullable Path getTemporaryDirectory() {
			return this.temporaryDirectory;
		}

		public void setTemporaryDirectory(@Nullable Path temporaryDirectory) {
			this.temporaryDirectory = temporaryDirectory;
		}

		public int getMaxConcurrentOutgoing() {
			return this.maxConcurrentOutgoing;
		}

		public void setMaxConcurrentOutgoing(int maxConcurrentOutgoing) {
			this.maxConcurrentOutgoing = maxConcurrentOutgoing;
		}

		public DataSize getPullReadAhead() {
			return this.pullReadAhead;
		}

		public void setPullReadAhead(DataSize pullReadAhead) {
			this.pullReadAhead = pullReadAhead;
		}

		public DataSize getPullRetention() {
			return this.pullRetention;
		}

		public void setPullRetention(DataSize pullRetention) {
			this.pullRetention = pullRetention;
		}

		public DataSize getSpillQuota() {
			return this.spillQuota;
		}

		public void setSpillQuota(DataSize spillQuota) {
			this.spillQuota = spillQuota;
		}

		public DataSize getMinFreeSpace() {
			return this.minFreeSpace;
		}

		public void setMinFreeSpace(DataSize minFreeSpace) {
			this.minFreeSpace = minFreeSpace;
		}

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

		/**
		 * Returns the options of the session engine.
		 * @return the transaction options
		 */
		public TransactionOptions toOptions() {
			Path directory = (this.temporaryDirectory != null) ? this.temporaryDirectory
					: TransactionOptions.DEFAULTS.temporaryDirectory();
			return new TransactionOptions((int) this.chunkSize.toBytes(), this.memoryThreshold.toBytes(),
					this.maxSize.toBytes(), this.maxConcurrent, this.pullWindow.toBytes(), directory,
					this.maxConcurrentOutgoing, this.pullReadAhead.toBytes(), this.pullRetention.toBytes(),
					this.spillQuota.toBytes(), this.minFreeSpace.toBytes(), this.maxThreads);
		}

		void validate() {
			require(this.chunkSize.toBytes() >= 1 && this.chunkSize.toBytes() <= 16L * 1024 * 1024,
					"cryo.transactions.chunk-size must be between 1B and 16MB");
			require(!this.memoryThreshold.isNegative(), "cryo.transactions.memory-threshold must not be negative");
			require(!this.maxSize.isNegative(), "cryo.transactions.max-size must not be negative");
			require(this.maxConcurrent >= 1, "cryo.transactions.max-concurrent must be at least 1");
			require(this.pullWindow.toBytes() >= 1, "cryo.transactions.pull-window must be positive");
			require(this.maxConcurrentOutgoing >= 1, "cryo.transactions.max-concurrent-outgoing must be at least 1");
			require(!this.pullReadAhead.isNegative(), "cryo.transactions.pull-read-ahead must not be negative");
			require(!this.pullRetention.isNegative(), "cryo.transactions.pull-retention must not be negative");
			require(!this.spillQuota.isNegative(), "cryo.transactions.spill-quota must not be negative");
			require(!this.minFreeSpace.isNegative(), "cryo.transactions.min-free-space must not be negative");
			require(this.maxThreads >= 1, "cryo.transactions.max-threads must be at least 1");
		}

	}

	/**
	 * Memory limits on what peers send: the size of one message, the heap that messages in
	 * reassembly take on the whole server, and the ACKs and pongs a session queues for a peer
	 * that does not read.
	 */
	public static class Limits {

		/**
		 * Largest WebSocket message (a whole frame, header included) a session accepts; a larger
		 * one closes the connection with 1009. Unset, each dialect's own maximum: 16777237 bytes
		 * for Cryo v1 (a cryo-protocol 1.4 TX_START with a 16 MiB name), 1048597 for CAMP (a
		 * TX_CHUNK with a 1 MiB payload). A value above a dialect's maximum has no effect on it.
		 */
		private @Nullable DataSize maxMessageSize;

		/**
		 * Heap that messages being received in parts may take, on the whole server. A message
		 * counts twice while it is received (its parts, then the array they are joined into); one
		 * that does not fit into what is left closes its connection with 1013, one that could
		 * never fit with 1009. Unset, a quarter of the maximum heap.
		 */
		private @Nullable DataSize reassemblyBudget;

		/**
		 * Most ACKs and pongs a session may have waiting to be written. They are never dropped,
		 * so a peer that keeps sending without reading what it is sent is closed with 1008 when
		 * it makes the session queue more.
		 */
		private int maxExpeditedFrames = 4096;

		public @Nullable DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(@Nullable DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public @Nullable DataSize getReassemblyBudget() {
			return this.reassemblyBudget;
		}

		public void setReassemblyBudget(@Nullable DataSize reassemblyBudget) {
			this.reassemblyBudget = reassemblyBudget;
		}

		public int getMaxExpeditedFrames() {
			return this.maxExpeditedFrames;
		}

		public void setMaxExpeditedFrames(int maxExpeditedFrames) {
			this.maxExpeditedFrames = maxExpeditedFrames;
		}

		/**
		 * Returns the receive limits of the server.
		 * @return the limits, with the defaults for what is unset
		 */
		public ReceiveLimits toReceiveLimits() {
			int maxMessage = (this.maxMessageSize != null)
					? (int) Math.min(this.maxMessageSize.toBytes(), Integer.MAX_VALUE) : 0;
			long budget = (this.reassemblyBudget != null) ? this.reassemblyBudget.toBytes()
					: ReceiveLimits.defaultReassemblyBudget();
			return new ReceiveLimits(maxMessage, budget);
		}

		void validate() {
			require(this.maxMessageSize == null || this.maxMessageSize.toBytes() >= 64,
					"cryo.limits.max-message-size must be at least 64B");
			require(this.reassemblyBudget == null || this.reassemblyBudget.toBytes() > 0,
					"cryo.limits.reassembly-budget must be positive");
			require(this.maxExpeditedFrames >= 1, "cryo.limits.max-expedited-frames must be at least 1");
		}

	}

	/**
	 * Groups (rooms) that sessions join: limits on what one session may cost the membership
	 * index.
	 */
	public static class Groups {

		/**
		 * Longest group name, in characters; joining or addressing a group with a longer name
		 * fails with an IllegalArgumentException.
		 */
		private int maxNameLength = 256;

		/**
		 * Most groups one session may be in at once; joining one more fails with an
		 * IllegalStateException.
		 */
		private int maxPerSession = 64;

		public int getMaxNameLength() {
			return this.maxNameLength;
		}

		public void setMaxNameLength(int maxNameLength) {
			this.maxNameLength = maxNameLength;
		}

		public int getMaxPerSession() {
			return this.maxPerSession;
		}

		public void setMaxPerSession(int maxPerSession) {
			this.maxPerSession = maxPerSession;
		}

		/**
		 * Returns the group limits of the server.
		 * @return the limits
		 */
		public GroupLimits toLimits() {
			return new GroupLimits(this.maxNameLength, this.maxPerSession);
		}

		void validate() {
			require(this.maxNameLength >= 1, "cryo.groups.max-name-length must be at least 1");
			require(this.maxPerSession >= 1, "cryo.groups.max-per-session must be at least 1");
		}

	}

	/**
	 * Authentication of upgrade requests, by the application's CryoAuthenticator or TokenValidator.
	 */
	public static class Authentication {

		private static final Duration MAX_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(20);

		/**
		 * Time an upgrade request waits for the authenticator's decision, at most 20s; a request
		 * still undecided then is refused with 401, so no container thread is held longer.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		/**
		 * Most threads that run a TokenValidator or Spring Security's resource server
		 * authentication, for all upgrades together. Not used with a CryoAuthenticator bean,
		 * which brings its own threads.
		 */
		private int maxThreads = 16;

		/**
		 * Most upgrades that wait for an authentication thread; further ones are refused with 503.
		 * 0 means none wait.
		 */
		private int queueCapacity = 256;

		/**
		 * Whether a session is closed with BYE "Token expired." when its bearer token expires,
		 * as the "expiresAt" authentication attribute tells (a JWT's "exp" claim).
		 */
		private boolean closeOnExpiry;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public boolean isCloseOnExpiry() {
			return this.closeOnExpiry;
		}

		public void setCloseOnExpiry(boolean closeOnExpiry) {
			this.closeOnExpiry = closeOnExpiry;
		}

		void validate() {
			require(isPositive(this.timeout), "cryo.authentication.timeout must be positive");
			// A legacy upgrade holds its session id while it is authenticated, and unused
			// reservations are purged after 30 s.
			require(this.timeout.compareTo(MAX_AUTHENTICATION_TIMEOUT) <= 0,
					"cryo.authentication.timeout must be at most 20s");
			require(this.maxThreads >= 1, "cryo.authentication.max-threads must be at least 1");
			require(this.queueCapacity >= 0, "cryo.authentication.queue-capacity must not be negative");
		}

	}

	/**
	 * Graceful shutdown of the Cryo server.
	 */
	public static class Shutdown {

		/**
		 * Time the server waits for sessions to acknowledge the BYE it sends them on shutdown
		 * before it closes their connections.
		 */
		private Duration gracePeriod = Duration.ofSeconds(10);

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

	}

	/**
	 * Send-queue limits of each session (cryo-v1.md §11). A profile presets all five limits;
	 * limits that are set explicitly win over the profile.
	 */
	public static class Backpressure {

		/**
		 * Preset of the reference server for the limits below: default, optimize-latency or
		 * optimize-memory. Unset, the seed defaults apply.
		 */
		private @Nullable BackpressureProfile profile;

		/**
		 * Pending bytes (queued plus in flight to the transport) at which a session becomes
		 * unwritable and publishes CryoSessionWritabilityChangedEvent.
		 */
		private DataSize highWaterMark = DataSize.ofMegabytes(16);

		/**
		 * Pending bytes at or below which an unwritable session becomes writable again.
		 */
		private DataSize lowWaterMark = DataSize.ofMegabytes(1);

		/**
		 * Maximum bytes waiting in a session's send queue.
		 */
		private DataSize maxQueuedBytes = DataSize.ofMegabytes(8);

		/**
		 * Maximum number of frames waiting in a session's send queue.
		 */
		private int maxQueueCount = 1024;

		/**
		 * What to do with a droppable frame (UTF-8, binary, error) that would exceed the caps.
		 */
		private DropPolicy dropPolicy = DropPolicy.DROP_OLDEST;

		private final Set<String> explicitlySet = new HashSet<>();

		public @Nullable BackpressureProfile getProfile() {
			return this.profile;
		}

		public void setProfile(@Nullable BackpressureProfile profile) {
			this.profile = profile;
		}

		public DataSize getHighWaterMark() {
			return this.highWaterMark;
		}

		public void setHighWaterMark(DataSize highWaterMark) {
			this.highWaterMark = highWaterMark;
			this.explicitlySet.add("high-water-mark");
		}

		public DataSize getLowWaterMark() {
			return this.lowWaterMark;
		}

		public void setLowWaterMark(DataSize lowWaterMark) {
			this.lowWaterMark = lowWaterMark;
			this.explicitlySet.add("low-water-mark");
		}

		public DataSize getMaxQueuedBytes() {
			return this.maxQueuedBytes;
		}

		public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
			this.maxQueuedBytes = maxQueuedBytes;
			this.explicitlySet.add("max-queued-bytes");
		}

		public int getMaxQueueCount() {
			return this.maxQueueCount;
		}

		public void setMaxQueueCount(int maxQueueCount) {
			this.maxQueueCount = maxQueueCount;
			this.explicitlySet.add("max-queue-count");
		}

		public DropPolicy getDropPolicy() {
			return this.dropPolicy;
		}

		public void setDropPolicy(DropPolicy dropPolicy) {
			this.dropPolicy = dropPolicy;
			this.explicitlySet.add("drop-policy");
		}

		/**
		 * Returns the limits in force: the profile's (or the seed defaults), overridden by every
		 * limit that was set explicitly.
		 * @return the effective limits
		 */
		public BackpressureSettings toSettings() {
			BackpressureSettings base = (this.profile != null) ? this.profile.settings()
					: BackpressureSettings.SEED_DEFAULTS;
			return new BackpressureSettings(pick("high-water-mark", this.highWaterMark.toBytes(), base.highWaterMark()),
					pick("low-water-mark", this.lowWaterMark.toBytes(), base.lowWaterMark()),
					pick("max-queued-bytes", this.maxQueuedBytes.toBytes(), base.maxQueuedBytes()),
					(int) pick("max-queue-count", this.maxQueueCount, base.maxQueueCount()),
					this.explicitlySet.contains("drop-policy") ? this.dropPolicy : base.dropPolicy());
		}

		private long pick(String name, long explicit, long fromBase) {
			return this.explicitlySet.contains(name) ? explicit : fromBase;
		}

		void validate() {
			BackpressureSettings base = (this.profile != null) ? this.profile.settings()
					: BackpressureSettings.SEED_DEFAULTS;
			long high = pick("high-water-mark", this.highWaterMark.toBytes(), base.highWaterMark());
			long low = pick("low-water-mark", this.lowWaterMark.toBytes(), base.lowWaterMark());
			require(high > 0, "cryo.backpressure.high-water-mark must be positive");
			require(low >= 0, "cryo.backpressure.low-water-mark must not be negative");
			require(low < high, "cryo.backpressure.low-water-mark must be below high-water-mark");
			require(pick("max-queued-bytes", this.maxQueuedBytes.toBytes(), base.maxQueuedBytes()) > 0,
					"cryo.backpressure.max-queued-bytes must be positive");
			require(pick("max-queue-count", this.maxQueueCount, base.maxQueueCount()) >= 1,
					"cryo.backpressure.max-queue-count must be at least 1");
		}

	}

}
