package dev.cryo.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.cryo.server.CryoServer;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.server.support.ReassemblyBudget;

/**
 * Binds the {@code cryo.sessions.active} gauge: the sessions a {@link CryoServer} holds now,
 * read from its registry at each scrape rather than counted, so it cannot drift; and, for a
 * {@link DefaultCryoServer}, the {@code cryo.reassembly.bytes} gauge of its reassembly budget.
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
		if (this.server instanceof DefaultCryoServer implementation) {
			ReassemblyBudget budget = implementation.sessionFactory().reassemblyBudget();
			Gauge.builder("cryo.reassembly.bytes", budget, ReassemblyBudget::held)
				.description("Heap bytes held for messages being received in parts, of cryo.limits.reassembly-budget")
				.baseUnit("bytes")
				.register(registry);
		}
	}

}
