package dev.cryo.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.transaction.TransactionManager;

/**
 * A Cryo client on the JDK's {@code java.net.http} WebSocket, speaking Cryo v1 or CAMP: the
 * configuration of a connection and the factory of {@link CryoClientSession}s.
 *
 * <pre class="code">
 * CryoClient client = CryoClient.builder(URI.create("ws://localhost:8080/cryo"))
 *     .token("dev-token")
 *     .listener(new CryoClientListener() {
 *         public void onUtf8Message(CryoClientSession session, String text) {
 *             System.out.println(text);
 *         }
 *     })
 *     .build();
 * try (CryoClientSession session = client.connect()) {
 *     session.sendUtf8("hello").join();
 * }
 * </pre>
 *
 * <p>Each connection gets a new random session id. The session engine (acknowledgements,
 * pongs, transactions, backpressure) is the one the server uses; the client adds the
 * connection, its own liveness check and reconnecting. A client is immutable and thread-safe;
 * one client can open any number of sessions.
 *
 * <p>{@link Builder#dialect(CryoClientDialect) dialect(CryoClientDialect.CAMP)} makes it a CAMP
 * client (camp.md): the upgrade offers the {@code camp} subprotocol and sends the session id in
 * {@code x-camp-sid}, and its sessions choose push or pull per transaction
 * ({@link CryoClientSession#stream(java.io.InputStream, String, dev.cryo.core.frame.FlowBehaviour)}).
 */
public final class CryoClient {

	/** The close reason when the server's pings stop arriving for {@link Builder#pingTimeout}. */
	public static final String PING_TIMEOUT_REASON = "Server stopped sending pings.";

	private static final SecureRandom sids = new SecureRandom();

	private final URI endpoint;

	private final String token;

	private final Duration connectTimeout;

	private final Map<String, String> parameters;

	private final ReconnectPolicy reconnectPolicy;

	private final Duration pingTimeout;

	private final CryoClientDialect dialect;

	private final SessionOptions sessionOptions;

	private final ScheduledExecutorService scheduler;

	private final Executor streamExecutor;

	private final List<CryoClientListener> listeners;

	private final CryoConnector connector;

	private CryoClient(Builder builder) {
		this.endpoint = builder.endpoint;
		this.token = Objects.requireNonNull(builder.token, "A token is required");
		this.connectTimeout = builder.connectTimeout;
		this.parameters = Map.copyOf(builder.parameters);
		this.reconnectPolicy = builder.reconnectPolicy;
		this.pingTimeout = builder.pingTimeout;
		this.dialect = builder.dialect;
		// A client's first write follows the 101 it has read (cryo-v1.md §3 rule 2 is for servers).
		this.sessionOptions = builder.sessionOptions.withFirstFrameDelay(builder.firstFrameDelay);
		this.scheduler = (builder.scheduler != null) ? builder.scheduler : SharedTimer.INSTANCE;
		this.streamExecutor = (builder.streamExecutor != null) ? builder.streamExecutor
				: TransactionManager.sharedExecutor();
		this.listeners = List.copyOf(builder.listeners);
		HttpClient httpClient = (builder.httpClient != null) ? builder.httpClient
				: HttpClient.newBuilder().connectTimeout(this.connectTimeout).build();
		this.connector = new CryoConnector(httpClient, this.scheduler, this.sessionOptions.closeTimeout());
		// Fail at build time, not at the first connect, for reserved or unencodable parameters.
		CryoConnector.upgradeUri(this.endpoint, this.token, SessionId.of(0), this.parameters, this.dialect);
	}

	/**
	 * Starts building a client.
	 * @param endpoint the server's Cryo endpoint, e.g. {@code ws://localhost:8080/cryo}
	 * @return a builder
	 */
	public static Builder builder(URI endpoint) {
		return new Builder(endpoint);
	}

	/**
	 * Connects and waits until the session is established: the WebSocket is open, both
	 * ENDPOINT_INFO frames were exchanged and ours was ACKed.
	 * @return the established session
	 * @throws CryoHandshakeRefusedException when the server refused the upgrade (401, 503)
	 * @throws CryoDialectMismatchException when a CAMP client's server did not answer the
	 * {@code camp} subprotocol
	 * @throws CryoConnectTimeoutException when it took longer than the connect timeout
	 * @throws CryoProtocolMismatchException when the server speaks another protocol version
	 * @throws CryoConnectException when the server could not be reached
	 */
	public CryoClientSession connect() {
		try {
			return connectAsync().get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CryoConnectException(CryoConnector.withoutQuery(this.endpoint), "interrupted", ex);
		}
		catch (ExecutionException ex) {
			throw asConnectException(ex.getCause());
		}
	}

	/**
	 * Connects without blocking.
	 * @return completes with the established session, or fails with a
	 * {@link CryoConnectException}
	 */
	public CompletableFuture<CryoClientSession> connectAsync() {
		return new CryoClientSession(this).connectFirst();
	}

	private CryoConnectException asConnectException(@Nullable Throwable failure) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof CryoConnectException connectException) {
			return connectException;
		}
		return new CryoConnectException(CryoConnector.withoutQuery(this.endpoint), String.valueOf(cause), cause);
	}

	// Read by CryoClientSession and SessionListeners.

	URI endpoint() {
		return this.endpoint;
	}

	String token() {
		return this.token;
	}

	Duration connectTimeout() {
		return this.connectTimeout;
	}

	Map<String, String> parameters() {
		return this.parameters;
	}

	CryoClientDialect dialect() {
		return this.dialect;
	}

	ReconnectPolicy reconnectPolicy() {
		return this.reconnectPolicy;
	}

	Duration pingTimeout() {
		return this.pingTimeout;
	}

	SessionOptions sessionOptions() {
		return this.sessionOptions;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	Executor streamExecutor() {
		return this.streamExecutor;
	}

	List<CryoClientListener> listeners() {
		return this.listeners;
	}

	CryoConnector connector() {
		return this.connector;
	}

	SessionId nextSid() {
		return SessionId.of(sids.nextLong());
	}

	/** Builds a {@link CryoClient}. */
	public static final class Builder {

		private final URI endpoint;

		private @Nullable String token;

		private Duration connectTimeout = Duration.ofSeconds(10);

		private final Map<String, String> parameters = new LinkedHashMap<>();

		private ReconnectPolicy reconnectPolicy = ReconnectPolicy.DEFAULT;

		private Duration pingTimeout = Duration.ofSeconds(45);

		private CryoClientDialect dialect = CryoClientDialect.CRYO_V1;

		private SessionOptions sessionOptions = SessionOptions.DEFAULTS;

		private Duration firstFrameDelay = Duration.ZERO;

		private @Nullable HttpClient httpClient;

		private @Nullable ScheduledExecutorService scheduler;

		private @Nullable Executor streamExecutor;

		private final List<CryoClientListener> listeners = new ArrayList<>();

		private Builder(URI endpoint) {
			Objects.requireNonNull(endpoint, "endpoint");
			String scheme = endpoint.getScheme();
			if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
				throw new IllegalArgumentException("The endpoint must be a ws: or wss: URI, not " + scheme + ":");
			}
			if (endpoint.getHost() == null) {
				throw new IllegalArgumentException("The endpoint must name a host");
			}
			this.endpoint = endpoint;
		}

		/**
		 * Sets the bearer token, sent as {@code authorization=Bearer <token>}. Required.
		 * @param token the token
		 * @return this builder
		 */
		public Builder token(String token) {
			this.token = Objects.requireNonNull(token, "token");
			return this;
		}

		/**
		 * Sets how long a connection attempt may take from the TCP connect to the established
		 * session. Default 10 s.
		 * @param connectTimeout the timeout
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			if (connectTimeout.isNegative() || connectTimeout.isZero()) {
				throw new IllegalArgumentException("connectTimeout must be positive");
			}
			this.connectTimeout = connectTimeout;
			return this;
		}

		/**
		 * Adds a query parameter to the upgrade request. {@code authorization} and the session id
		 * parameters ({@code x-cryo-sid}, {@code x-camp-sid}, {@code x-CAMP-sid}) are set by the
		 * client and cannot be added: a server chooses the dialect by them.
		 * @param name the parameter name
		 * @param value the value
		 * @return this builder
		 */
		public Builder queryParameter(String name, String value) {
			if (CryoConnector.isReserved(name)) {
				throw new IllegalArgumentException("The query parameter '" + name + "' is set by the client");
			}
			this.parameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
			return this;
		}

		/**
		 * Sets how the client reconnects after it lost an established connection. Default
		 * {@link ReconnectPolicy#DEFAULT}; {@link ReconnectPolicy#DISABLED} never reconnects.
		 * @param reconnectPolicy the policy
		 * @return this builder
		 */
		public Builder reconnect(ReconnectPolicy reconnectPolicy) {
			this.reconnectPolicy = Objects.requireNonNull(reconnectPolicy, "reconnectPolicy");
			return this;
		}

		/**
		 * Sets how long the client waits for the server's next ping before it considers the
		 * server gone, says BYE and closes (then reconnects if allowed). Servers ping every
		 * keep-alive interval (15 s by default), so the default of 45 s tolerates two lost
		 * pings. Zero disables the check.
		 * @param pingTimeout the timeout
		 * @return this builder
		 */
		public Builder pingTimeout(Duration pingTimeout) {
			if (pingTimeout.isNegative()) {
				throw new IllegalArgumentException("pingTimeout must not be negative");
			}
			this.pingTimeout = pingTimeout;
			return this;
		}

		/**
		 * Sets the dialect the client speaks. Default {@link CryoClientDialect#CRYO_V1};
		 * {@link CryoClientDialect#CAMP} connects with the {@code camp} subprotocol offered and
		 * the session id in {@code x-camp-sid}, and fails with a
		 * {@link CryoDialectMismatchException} when the server does not answer {@code camp}.
		 * @param dialect the dialect
		 * @return this builder
		 */
		public Builder dialect(CryoClientDialect dialect) {
			this.dialect = Objects.requireNonNull(dialect, "dialect");
			return this;
		}

		/**
		 * Sets the session engine's options: ack timeout, backpressure, transactions, the Cryo v1
		 * transaction layout. Their {@link SessionOptions#firstFrameDelay() firstFrameDelay} is
		 * not used: the client's own {@link #firstFrameDelay(Duration)} replaces it.
		 * @param sessionOptions the options
		 * @return this builder
		 */
		public Builder sessionOptions(SessionOptions sessionOptions) {
			this.sessionOptions = Objects.requireNonNull(sessionOptions, "sessionOptions");
			return this;
		}

		/**
		 * Sets how long after the WebSocket opened the client writes its ENDPOINT_INFO. Default
		 * zero: the client writes it as soon as it has read the 101, which is all a server
		 * needs; the delay of cryo-v1.md §3 rule 2 protects clients that read late, and a
		 * server reads from the start. This setting replaces the delay of the
		 * {@link #sessionOptions(SessionOptions) session options}, whose default is the
		 * server's 20 ms.
		 * @param firstFrameDelay the delay; zero for at once
		 * @return this builder
		 */
		public Builder firstFrameDelay(Duration firstFrameDelay) {
			if (firstFrameDelay.isNegative()) {
				throw new IllegalArgumentException("firstFrameDelay must not be negative");
			}
			this.firstFrameDelay = firstFrameDelay;
			return this;
		}

		/**
		 * Sets the HTTP client whose WebSocket builder opens connections, e.g. one with an
		 * {@code SSLContext} for {@code wss:} endpoints with a private CA. By default each
		 * {@link CryoClient} creates its own.
		 * @param httpClient the HTTP client
		 * @return this builder
		 */
		public Builder httpClient(HttpClient httpClient) {
			this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
			return this;
		}

		/**
		 * Sets the timer for ack timeouts, ping checks and reconnect delays. By default all
		 * clients share one daemon thread.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(ScheduledExecutorService scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
			return this;
		}

		/**
		 * Sets the executor that reads stream sources and serves pulls.
		 * @param streamExecutor the executor
		 * @return this builder
		 */
		public Builder streamExecutor(Executor streamExecutor) {
			this.streamExecutor = Objects.requireNonNull(streamExecutor, "streamExecutor");
			return this;
		}

		/**
		 * Adds a listener to every session of the client, in place before the first frame is
		 * read. Sessions also take listeners of their own.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(CryoClientListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Builds the client.
		 * @return the client
		 * @throws NullPointerException when no token was set
		 */
		public CryoClient build() {
			return new CryoClient(this);
		}

	}

	/** One daemon timer thread for every client that does not bring its own. */
	private static final class SharedTimer {

		static final ScheduledExecutorService INSTANCE = create();

		private static ScheduledExecutorService create() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "cryo-client-timer");
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			return executor;
		}

	}

}
