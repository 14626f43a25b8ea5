package dev.cryo.endpoint.support;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.util.Assert;

import dev.cryo.endpoint.EndpointConnection;

/**
 * The open connections of this node, on both wires, by wire and id: what multicasts and the
 * {@code api} plugin's subscriptions reach. Connections are added when they open and removed
 * when they close; every method may be called from any thread.
 */
public final class ConnectionRegister {

	private final Map<Key, EndpointConnection> connections = new ConcurrentHashMap<>();

	/**
	 * Adds a connection; a connection already registered under the same wire and id is replaced.
	 * @param connection the connection
	 */
	public void add(EndpointConnection connection) {
		Assert.notNull(connection, "'connection' must not be null");
		this.connections.put(Key.of(connection), connection);
	}

	/**
	 * Removes a connection; does nothing when it is not registered (another connection under the
	 * same wire and id stays).
	 * @param connection the connection
	 */
	public void remove(EndpointConnection connection) {
		Assert.notNull(connection, "'connection' must not be null");
		this.connections.remove(Key.of(connection), connection);
	}

	/**
	 * Returns the registered connections, a weakly consistent view: iterating it never fails,
	 * and may or may not see connections added or removed meanwhile.
	 * @return the connections, unmodifiable
	 */
	public Collection<EndpointConnection> connections() {
		return Collections.unmodifiableCollection(this.connections.values());
	}

	/**
	 * Returns how many connections are registered.
	 * @return the count
	 */
	public int size() {
		return this.connections.size();
	}

	/**
	 * Returns a registered connection.
	 * @param wire its wire, {@link EndpointConnection#CRYO_WIRE} or
	 * {@link EndpointConnection#YOCTOPUS_WIRE}
	 * @param id its id
	 * @return the connection, if registered
	 */
	public Optional<EndpointConnection> find(String wire, String id) {
		return Optional.ofNullable(this.connections.get(new Key(wire, id)));
	}

	/**
	 * A connection's identity in the register: ids are unique per wire only.
	 */
	private record Key(String wire, String id) {

		static Key of(EndpointConnection connection) {
			return new Key(connection.wire(), connection.id());
		}

	}

}
