package dev.cryo.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.support.TokenValidatorAuthenticator;

/**
 * Binds the gauges of the pool a {@link TokenValidatorAuthenticator} runs its validator on:
 * {@code cryo.authentication.threads.busy} (at most {@code cryo.authentication.max-threads}) and
 * {@code cryo.authentication.queued} (at most {@code cryo.authentication.queue-capacity}). An
 * application's own authenticator brings its own threads, so nothing is bound for it. Upgrades
 * that find the pool full or time out are counted in {@code cryo.upgrades.rejected} with reasons
 * {@code authentication-overloaded} and {@code authentication-timeout}.
 */
public class CryoAuthenticationMeterBinder implements MeterBinder {

	private final @Nullable CryoAuthenticator authenticator;

	/**
	 * Creates a binder.
	 * @param authenticator the server's authenticator, if any
	 */
	public CryoAuthenticationMeterBinder(@Nullable CryoAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.authenticator instanceof TokenValidatorAuthenticator pool) {
			Gauge.builder("cryo.authentication.threads.busy", pool, TokenValidatorAuthenticator::activeCount)
				.description("Threads running the TokenValidator now, at most cryo.authentication.max-threads")
				.register(registry);
			Gauge.builder("cryo.authentication.queued", pool, TokenValidatorAuthenticator::queuedCount)
				.description("Upgrades waiting for a TokenValidator thread, at most cryo.authentication.queue-capacity")
				.register(registry);
		}
	}

}
