package dev.cryo.server;

import java.time.Duration;
import java.util.Objects;

import dev.cryo.core.session.SessionOptions;

/**
 * Server-wide settings of a {@link CryoServer}.
 *
 * @param keepAliveInterval the heartbeat interval (cryo-v1.md §7)
 * @param sessionOptions the protocol timings and limits of every session
 */
public record CryoServerSettings(Duration keepAliveInterval, SessionOptions sessionOptions) {

	/** The defaults of cryo-v1.md: a 15 s heartbeat and {@link SessionOptions#DEFAULTS}. */
	public static final CryoServerSettings DEFAULTS = new CryoServerSettings(Duration.ofSeconds(15),
			SessionOptions.DEFAULTS);

	public CryoServerSettings {
		Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
		Objects.requireNonNull(sessionOptions, "sessionOptions");
		if (keepAliveInterval.isNegative() || keepAliveInterval.isZero()) {
			throw new IllegalArgumentException("keepAliveInterval must be positive");
		}
	}

}
