package dev.cryo.endpoint.wire;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * The limits and timers of yoctopus's plain-WebSocket wire.
 *
 * @param pingInterval how often each connection is sent a WebSocket ping
 * @param maxLostPings how many pings in a row may go unanswered; one more closes the connection
 * @param maxMessageSize the largest text (or binary) message accepted, in bytes; a larger one
 * closes the connection with 1009
 * @param sendTimeLimit how long one send may take before the connection is closed
 * @param sendBufferLimit how many bytes may wait for a slow client before the connection is closed
 */
public record YoctopusWireSettings(Duration pingInterval, int maxLostPings, int maxMessageSize,
		Duration sendTimeLimit, int sendBufferLimit) {

	/** yoctopus's own ping interval. */
	public static final Duration DEFAULT_PING_INTERVAL = Duration.ofMillis(250);

	/** Pings that may go unanswered in a row. */
	public static final int DEFAULT_MAX_LOST_PINGS = 3;

	/** The largest message accepted: 1 MiB. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

	/** How long one send may take. */
	public static final Duration DEFAULT_SEND_TIME_LIMIT = Duration.ofSeconds(10);

	/** Bytes that may wait for a slow client: 1 MiB. */
	public static final int DEFAULT_SEND_BUFFER_LIMIT = 1024 * 1024;

	/** The defaults. */
	public static final YoctopusWireSettings DEFAULTS = new YoctopusWireSettings(DEFAULT_PING_INTERVAL,
			DEFAULT_MAX_LOST_PINGS, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_SEND_TIME_LIMIT, DEFAULT_SEND_BUFFER_LIMIT);

	public YoctopusWireSettings {
		Assert.isTrue(pingInterval != null && pingInterval.toMillis() > 0, "'pingInterval' must be at least 1 ms");
		Assert.isTrue(maxLostPings >= 0, "'maxLostPings' must not be negative");
		Assert.isTrue(maxMessageSize > 0, "'maxMessageSize' must be positive");
		Assert.isTrue(sendTimeLimit != null && sendTimeLimit.toMillis() > 0, "'sendTimeLimit' must be at least 1 ms");
		Assert.isTrue(sendBufferLimit > 0, "'sendBufferLimit' must be positive");
	}

}
