package dev.cryo.boot.autoconfigure.endpoints;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the endpoint layer: yoctopus's plugins and endpoints over Cryo
 * sessions and, when {@code cryo.endpoints.websocket.path} is set, over yoctopus's
 * plain-WebSocket wire.
 */
@ConfigurationProperties("cryo.endpoints")
public class CryoEndpointsProperties implements InitializingBean {

	/**
	 * Whether to enable the endpoint layer.
	 */
	private boolean enabled = true;

	/**
	 * Longest request accepted, in characters (1 MiB by default); a longer one is answered with
	 * an error.
	 */
	private int maxRequestLength = 1048576;

	/**
	 * Most requests of one connection in progress at once; further ones are answered with an
	 * error.
	 */
	private int maxPendingRequests = 256;

	/**
	 * Time an asynchronous handler has to complete before its request is answered with an error.
	 */
	private Duration requestTimeout = Duration.ofSeconds(30);

	/**
	 * Time a requirement check has to decide before it counts as not met.
	 */
	private Duration requirementTimeout = Duration.ofSeconds(5);

	private final Api api = new Api();

	private final WebSocket websocket = new WebSocket();

	private final Cluster cluster = new Cluster();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getMaxRequestLength() {
		return this.maxRequestLength;
	}

	public void setMaxRequestLength(int maxRequestLength) {
		this.maxRequestLength = maxRequestLength;
	}

	public int getMaxPendingRequests() {
		return this.maxPendingRequests;
	}

	public void setMaxPendingRequests(int maxPendingRequests) {
		this.maxPendingRequests = maxPendingRequests;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public Duration getRequirementTimeout() {
		return this.requirementTimeout;
	}

	public void setRequirementTimeout(Duration requirementTimeout) {
		this.requirementTimeout = requirementTimeout;
	}

	public Api getApi() {
		return this.api;
	}

	public WebSocket getWebsocket() {
		return this.websocket;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	@Override
	public void afterPropertiesSet() {
		require(this.maxRequestLength >= 1, "cryo.endpoints.max-request-length must be at least 1");
		require(this.maxPendingRequests >= 1, "cryo.endpoints.max-pending-requests must be at least 1");
		require(isPositive(this.requestTimeout), "cryo.endpoints.request-timeout must be positive");
		require(isPositive(this.requirementTimeout), "cryo.endpoints.requirement-timeout must be positive");
		this.websocket.validate();
		DataSize clusterMax = this.cluster.getMaxMessageSize();
		require(clusterMax != null && clusterMax.toBytes() >= 64 && clusterMax.toBytes() <= Integer.MAX_VALUE,
				"cryo.endpoints.cluster.max-message-size must be between 64B and 2GB");
	}

	private static boolean isPositive(@Nullable Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

	/**
	 * The bundled {@code api} plugin, which describes the registered endpoints to clients.
	 */
	public static class Api {

		/**
		 * Whether to register the api plugin, which lists the plugins, endpoints and request
		 * formats to clients and notifies its subscribers of changes.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Multicasts across the nodes of a cluster (with a cluster broadcaster, e.g.
	 * {@code cryo.cluster.redis.enabled=true}): each is published once to the other nodes, which
	 * deliver it to their matching connections.
	 */
	public static class Cluster {

		/**
		 * Largest multicast (filter and encoded notification) published to or accepted from other
		 * nodes; a larger one reaches this node's connections only, with a warning.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(1);

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

	}

	/**
	 * yoctopus's plain-WebSocket wire: JSON text frames on a WebSocket endpoint of its own.
	 */
	public static class WebSocket {

		/**
		 * Path of yoctopus's plain-WebSocket endpoint, such as "/yoctopus"; unset, there is
		 * none and the endpoint layer is reached through Cryo sessions only.
		 */
		private @Nullable String path;

		/**
		 * Interval of the WebSocket pings each connection is sent.
		 */
		private Duration pingInterval = Duration.ofMillis(250);

		/**
		 * Most pings in a row a client may leave unanswered; one more closes its connection.
		 */
		private int maxLostPings = 3;

		/**
		 * Largest message accepted; a larger one closes the connection with 1009.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(1);

		/**
		 * Time one send to a client may take before its connection is closed.
		 */
		private Duration sendTimeLimit = Duration.ofSeconds(10);

		/**
		 * Most bytes that may wait for a slow client before its connection is closed.
		 */
		private DataSize sendBufferLimit = DataSize.ofMegabytes(1);

		/**
		 * Whether an upgrade without a bearer token is refused with 401 rather than let in
		 * anonymously. A token, when present, is always checked by the Cryo authenticator.
		 */
		private boolean requireAuthentication;

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public Duration getPingInterval() {
			return this.pingInterval;
		}

		public void setPingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
		}

		public int getMaxLostPings() {
			return this.maxLostPings;
		}

		public void setMaxLostPings(int maxLostPings) {
			this.maxLostPings = maxLostPings;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public Duration getSendTimeLimit() {
			return this.sendTimeLimit;
		}

		public void setSendTimeLimit(Duration sendTimeLimit) {
			this.sendTimeLimit = sendTimeLimit;
		}

		public DataSize getSendBufferLimit() {
			return this.sendBufferLimit;
		}

		public void setSendBufferLimit(DataSize sendBufferLimit) {
			this.sendBufferLimit = sendBufferLimit;
		}

		public boolean isRequireAuthentication() {
			return this.requireAuthentication;
		}

		public void setRequireAuthentication(boolean requireAuthentication) {
			this.requireAuthentication = requireAuthentication;
		}

		void validate() {
			require(this.path == null || this.path.startsWith("/"), "cryo.endpoints.websocket.path must start with '/'");
			require(this.pingInterval != null && this.pingInterval.toMillis() >= 1,
					"cryo.endpoints.websocket.ping-interval must be at least 1ms");
			require(this.maxLostPings >= 0, "cryo.endpoints.websocket.max-lost-pings must not be negative");
			require(isIntSize(this.maxMessageSize), "cryo.endpoints.websocket.max-message-size must be between 1B and 2GB");
			require(this.sendTimeLimit != null && this.sendTimeLimit.toMillis() >= 1,
					"cryo.endpoints.websocket.send-time-limit must be at least 1ms");
			require(isIntSize(this.sendBufferLimit),
					"cryo.endpoints.websocket.send-buffer-limit must be between 1B and 2GB");
		}

		private static boolean isIntSize(@Nullable DataSize size) {
			return size != null && size.toBytes() >= 1 && size.toBytes() <= Integer.MAX_VALUE;
		}

	}

}
