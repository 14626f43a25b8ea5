package dev.cryo.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.support.PooledAuthenticator;

/**
 * Binds the gauges of the pool a {@link PooledAuthenticator} runs its blocking authentication on
 * (a TokenValidator, Spring Security's resource server):
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
		if (this.authenticator instanceof PooledAuthenticator pool) {
			Gauge.builder("cryo.authentication.threads.busy", pool, PooledAuthenticator::activeCount)
				.description("Threads authenticating upgrades now, at most cryo.authentication.max-threads")
				.register(registry);
			Gauge.builder("cryo.authentication.queued", pool, PooledAuthenticator::queuedCount)
				.description("Upgrades waiting for an authentication thread, at most cryo.authentication.queue-capacity")
				.register(registry);
		}
	}

}
