package dev.cryo.boot.autoconfigure.health;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.cryo.server.CryoServer;

/**
 * {@link HealthIndicator} for a {@link CryoServer}: UP while it runs and accepts upgrades, DOWN
 * once it is stopped or shutting down (new upgrades then get 503). The details name the live
 * session count and where the endpoint answers.
 */
public class CryoHealthIndicator implements HealthIndicator {

	private final CryoServer server;

	private final String path;

	private final Supplier<@Nullable Integer> port;

	/**
	 * Creates an indicator.
	 * @param server the server
	 * @param path the endpoint's path
	 * @param port the port the endpoint answers on, {@code null} while it is not known
	 */
	public CryoHealthIndicator(CryoServer server, String path, Supplier<@Nullable Integer> port) {
		this.server = server;
		this.path = path;
		this.port = port;
	}

	@Override
	public Health health() {
		boolean running = this.server.isRunning();
		boolean accepting = this.server.isAcceptingSessions();
		Health.Builder builder = (running && accepting) ? Health.up() : Health.down();
		if (!running) {
			builder.withDetail("reason", "Cryo server is not running");
		}
		else if (!accepting) {
			builder.withDetail("reason", "Cryo server is shutting down and refuses new sessions");
		}
		builder.withDetail("sessions", this.server.sessionCount()).withDetail("path", this.path);
		Integer port = this.port.get();
		if (port != null) {
			builder.withDetail("port", port);
		}
		return builder.build();
	}

}
