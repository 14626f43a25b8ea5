package dev.cryo.endpoint.support;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.cryo.endpoint.EndpointConnection;

/**
 * The open connections of this node, on both wires, that multicasts choose from.
 */
public final class ConnectionRegister {

	private final Set<EndpointConnection> connections = ConcurrentHashMap.newKeySet();

	/**
	 * Creates an empty register.
	 */
	public ConnectionRegister() {
	}

	/**
	 * Adds an open connection.
	 * @param connection the connection
	 */
	public void add(EndpointConnection connection) {
		this.connections.add(connection);
	}

	/**
	 * Removes a closed connection; does nothing when it is not registered.
	 * @param connection the connection
	 */
	public void remove(EndpointConnection connection) {
		this.connections.remove(connection);
	}

	/**
	 * Returns the registered connections.
	 * @return an unmodifiable live view
	 */
	public Collection<EndpointConnection> connections() {
		return Collections.unmodifiableSet(this.connections);
	}

}
