package dev.cryo.boot.autoconfigure.metrics;

import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.server.CryoServer;
import dev.cryo.server.support.CryoSessionRegistry;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.server.support.ReassemblyBudget;

/**
 * Binds the {@code cryo.sessions.active} gauge, one series per dialect (tag {@code dialect}): the
 * sessions of that dialect a {@link CryoServer} holds now, read from its registry at each scrape
 * rather than counted, so it cannot drift; and, for a {@link DefaultCryoServer}, the
 * {@code cryo.reassembly.bytes} gauge of its reassembly budget and the
 * {@code cryo.sessions.blocked} gauge of session ids refused after a CALE failure
 * ({@code cryo.dialects.legacy.cale-failure-block}), the {@code cryo.groups.active} gauge of
 * groups with members and the {@code cryo.groups.memberships} gauge of the memberships of all
 * sessions (each bounded by {@code cryo.groups.max-per-session}).
 */
public class CryoSessionsMeterBinder implements MeterBinder {

	private final CryoServer server;

	private final List<String> dialects;

	/**
	 * Creates a binder for the given server: the dialects of a {@link DefaultCryoServer}, Cryo
	 * v1 alone for another.
	 * @param server the server whose sessions are counted
	 */
	public CryoSessionsMeterBinder(CryoServer server) {
		this(server, dialectsOf(server));
	}

	/**
	 * Creates a binder for the given server and dialects.
	 * @param server the server whose sessions are counted
	 * @param dialects the names of the dialects the server speaks, one series each
	 */
	public CryoSessionsMeterBinder(CryoServer server, List<String> dialects) {
		this.server = server;
		this.dialects = List.copyOf(dialects);
	}

	private static List<String> dialectsOf(CryoServer server) {
		if (server instanceof DefaultCryoServer implementation) {
			return implementation.sessionFactory().dialects().all().stream().map(CryoDialect::name).toList();
		}
		return List.of(CryoV1Dialect.INSTANCE.name());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String dialect : this.dialects) {
			Gauge.builder("cryo.sessions.active", this.server, (server) -> server.sessionCount(dialect))
				.description("Cryo sessions live now (handshaking, open or closing)")
				.tag(CryoMeterObserver.DIALECT_TAG, dialect)
				.register(registry);
		}
		if (this.server instanceof DefaultCryoServer implementation) {
			ReassemblyBudget budget = implementation.sessionFactory().reassemblyBudget();
			Gauge.builder("cryo.reassembly.bytes", budget, ReassemblyBudget::held)
				.description("Heap bytes held for messages being received in parts, of cryo.limits.reassembly-budget")
				.baseUnit("bytes")
				.register(registry);
			Gauge.builder("cryo.sessions.blocked", implementation.sessionRegistry(), CryoSessionRegistry::blockedCount)
				.description("Session ids refused for cryo.dialects.legacy.cale-failure-block after a CALE failure")
				.register(registry);
			Gauge.builder("cryo.groups.active", implementation.sessionRegistry(), CryoSessionRegistry::groupCount)
				.description("Groups with at least one member among the live sessions")
				.register(registry);
			Gauge.builder("cryo.groups.memberships", implementation.sessionRegistry(),
					CryoSessionRegistry::membershipCount)
				.description("Group memberships of the live sessions, each at most cryo.groups.max-per-session")
				.register(registry);
		}
	}

}
