package dev.cryo.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.cryo.core.session.DropPolicy;

/**
 * Configuration properties for the Cryo server.
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
	 * Time a new connection has to send its ENDPOINT_INFO before it is closed with 4001. Zero
	 * disables the check.
	 */
	private Duration endpointInfoTimeout = Duration.ofSeconds(10);

	/**
	 * Number of malformed frames after which a session is closed with 4001.
	 */
	private int maxMalformedFrames = 16;

	/**
	 * Origins allowed to open a session from a browser, e.g. "https://example.com", or "*" for
	 * any. Same-origin requests and clients that send no Origin header are always allowed.
	 */
	private List<String> allowedOrigins = new ArrayList<>();

	private final Backpressure backpressure = new Backpressure();

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

	public Backpressure getBackpressure() {
		return this.backpressure;
	}

	@Override
	public void afterPropertiesSet() {
		require(this.path.startsWith("/"), "cryo.path must start with '/'");
		require(isPositive(this.keepAliveInterval), "cryo.keep-alive-interval must be positive");
		require(isPositive(this.ackTimeout), "cryo.ack-timeout must be positive");
		require(!this.endpointInfoTimeout.isNegative(), "cryo.endpoint-info-timeout must not be negative");
		require(this.maxMalformedFrames >= 1, "cryo.max-malformed-frames must be at least 1");
		this.backpressure.validate();
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
	 * Send-queue limits of each session (cryo-v1.md §11).
	 */
	public static class Backpressure {

		/**
		 * Bytes handed to the WebSocket transport but not yet written at which a session stops
		 * moving frames from its queue to the transport.
		 */
		private DataSize highWaterMark = DataSize.ofMegabytes(16);

		/**
		 * Pending transport bytes at or below which moving frames resumes.
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

		public DataSize getHighWaterMark() {
			return this.highWaterMark;
		}

		public void setHighWaterMark(DataSize highWaterMark) {
			this.highWaterMark = highWaterMark;
		}

		public DataSize getLowWaterMark() {
			return this.lowWaterMark;
		}

		public void setLowWaterMark(DataSize lowWaterMark) {
			this.lowWaterMark = lowWaterMark;
		}

		public DataSize getMaxQueuedBytes() {
			return this.maxQueuedBytes;
		}

		public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
			this.maxQueuedBytes = maxQueuedBytes;
		}

		public int getMaxQueueCount() {
			return this.maxQueueCount;
		}

		public void setMaxQueueCount(int maxQueueCount) {
			this.maxQueueCount = maxQueueCount;
		}

		public DropPolicy getDropPolicy() {
			return this.dropPolicy;
		}

		public void setDropPolicy(DropPolicy dropPolicy) {
			this.dropPolicy = dropPolicy;
		}

		void validate() {
			require(this.highWaterMark.toBytes() > 0, "cryo.backpressure.high-water-mark must be positive");
			require(!this.lowWaterMark.isNegative(), "cryo.backpressure.low-water-mark must not be negative");
			require(this.lowWaterMark.compareTo(this.highWaterMark) < 0,
					"cryo.backpressure.low-water-mark must be below high-water-mark");
			require(this.maxQueuedBytes.toBytes() > 0, "cryo.backpressure.max-queued-bytes must be positive");
			require(this.maxQueueCount >= 1, "cryo.backpressure.max-queue-count must be at least 1");
		}

	}

}
