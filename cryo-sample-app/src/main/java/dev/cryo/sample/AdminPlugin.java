package dev.cryo.sample;

import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointMapping;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.Requires;
import dev.cryo.server.CryoServer;

/**
 * An endpoint only the administrator may call: {@code admin:dashboard} {@code read} requires
 * {@code auth.isAdmin=true} (set by {@link AuthPlugin} for the user {@code admin}) and answers
 * with a few server figures.
 */
@CryoPlugin("admin")
class AdminPlugin {

	private final CryoServer server;

	private final EndpointRegistry registry;

	AdminPlugin(CryoServer server, EndpointRegistry registry) {
		this.server = server;
		this.registry = registry;
	}

	@EndpointMapping(endpoint = "dashboard", method = "read")
	@Requires(settings = "auth.isAdmin=true")
	Dashboard dashboard() {
		return new Dashboard(this.server.sessionCount(), this.registry.plugins().size());
	}

	/**
	 * What the dashboard shows.
	 * @param cryoSessions the open Cryo sessions of this node
	 * @param plugins the registered plugins
	 */
	record Dashboard(int cryoSessions, int plugins) {
	}

}
