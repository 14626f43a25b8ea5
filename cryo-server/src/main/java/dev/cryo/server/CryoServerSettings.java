package dev.cryo.server;

import java.time.Duration;
import java.util.Objects;

import dev.cryo.core.engine.SessionOptions;

/**
 * Server-wide settings of a {@link CryoServer}.
 *
 * @param keepAliveInterval the heartbeat interval (cryo-v1.md §7)
 * @param sessionOptions the protocol timings and limits of every session
 * @param maxSessions the most sessions at once, further upgrades are refused with 503; 0 for no
 * limit
 * @param shutdownGracePeriod how long a shutdown waits for the ACKs of the BYE frames it sent
 * before it closes the connections
 * @param receiveLimits the largest message a session accepts and the heap that messages in
 * reassembly may take, for all sessions together
 * @param groupLimits the longest group name and the most groups one session may be in
 */
public record CryoServerSettings(Duration keepAliveInterval, SessionOptions sessionOptions, int maxSessions,
		Duration shutdownGracePeriod, ReceiveLimits receiveLimits, GroupLimits groupLimits) {

	/**
	 * The defaults of cryo-v1.md: a 15 s heartbeat, {@link SessionOptions#DEFAULTS}, no session
	 * limit, 10 s grace, {@link ReceiveLimits#defaults()}, {@link GroupLimits#DEFAULTS}.
	 */
	public static final CryoServerSettings DEFAULTS = new CryoServerSettings(Duration.ofSeconds(15),
			SessionOptions.DEFAULTS);

	public CryoServerSettings {
		Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
		Objects.requireNonNull(sessionOptions, "sessionOptions");
		Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod");
		Objects.requireNonNull(receiveLimits, "receiveLimits");
		Objects.requireNonNull(groupLimits, "groupLimits");
		if (keepAliveInterval.isNegative() || keepAliveInterval.isZero()) {
			throw new IllegalArgumentException("keepAliveInterval must be positive");
		}
		if (maxSessions < 0) {
			throw new IllegalArgumentException("maxSessions must not be negative");
		}
		if (shutdownGracePeriod.isNegative()) {
			throw new IllegalArgumentException("shutdownGracePeriod must not be negative");
		}
	}

	/**
	 * Creates settings without a session limit and with a 10 s shutdown grace period.
	 * @param keepAliveInterval the heartbeat interval
	 * @param sessionOptions the protocol timings and limits of every session
	 */
	public CryoServerSettings(Duration keepAliveInterval, SessionOptions sessionOptions) {
		this(keepAliveInterval, sessionOptions, 0, Duration.ofSeconds(10));
	}

	/**
	 * Creates settings with the {@linkplain ReceiveLimits#defaults() default receive limits}.
	 * @param keepAliveInterval the heartbeat interval
	 * @param sessionOptions the protocol timings and limits of every session
	 * @param maxSessions the most sessions at once; 0 for no limit
	 * @param shutdownGracePeriod how long a shutdown waits for the ACKs of its BYE frames
	 */
	public CryoServerSettings(Duration keepAliveInterval, SessionOptions sessionOptions, int maxSessions,
			Duration shutdownGracePeriod) {
		this(keepAliveInterval, sessionOptions, maxSessions, shutdownGracePeriod, ReceiveLimits.defaults());
	}

	/**
	 * Creates settings with the {@linkplain GroupLimits#DEFAULTS default group limits}.
	 * @param keepAliveInterval the heartbeat interval
	 * @param sessionOptions the protocol timings and limits of every session
	 * @param maxSessions the most sessions at once; 0 for no limit
	 * @param shutdownGracePeriod how long a shutdown waits for the ACKs of its BYE frames
	 * @param receiveLimits the largest message a session accepts and the reassembly budget
	 */
	public CryoServerSettings(Duration keepAliveInterval, SessionOptions sessionOptions, int maxSessions,
			Duration shutdownGracePeriod, ReceiveLimits receiveLimits) {
		this(keepAliveInterval, sessionOptions, maxSessions, shutdownGracePeriod, receiveLimits, GroupLimits.DEFAULTS);
	}

}
