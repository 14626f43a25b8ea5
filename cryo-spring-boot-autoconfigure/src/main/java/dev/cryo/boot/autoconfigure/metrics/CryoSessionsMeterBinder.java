package dev.cryo.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.cryo.server.CryoServer;

/**
 * Binds the {@code cryo.sessions.active} gauge: the sessions a {@link CryoServer} holds now,
 * read from its registry at each scrape rather than counted, so it cannot drift.
 */
public class CryoSessionsMeterBinder implements MeterBinder {

	private final CryoServer server;

	/**
	 * Creates a binder for the given server.
	 * @param server the server whose sessions are counted
	 */
	public CryoSessionsMeterBinder(CryoServer server) {
		this.server = server;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("cryo.sessions.active", this.server, CryoServer::sessionCount)
			.description("Cryo sessions live now (handshaking, open or closing)")
			.register(registry);
	}

}
