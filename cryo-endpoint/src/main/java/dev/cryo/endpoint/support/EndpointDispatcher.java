package dev.cryo.endpoint.support;

import java.nio.ByteBuffer;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;

/**
 * What a wire needs from the endpoint layer. A wire creates one {@link EndpointConnection} per
 * connection (giving it the settings made by {@link #createSettings}), announces it with
 * {@link #opened}, hands it every message, and announces its end with {@link #closed}. Calls for
 * one connection come from one thread at a time, in arrival order; responses may be sent later
 * from other threads (asynchronous handlers).
 */
public interface EndpointDispatcher {

	/**
	 * Creates the settings of a new connection, every declared plugin's defaults.
	 * @param owner the connection they belong to (its listeners are told about changes)
	 * @return the settings
	 */
	ConnectionSettings createSettings(EndpointConnection owner);

	/**
	 * A connection opened: it is registered for multicasts and the listeners'
	 * {@code onConnectionOpened} run.
	 * @param connection the connection
	 */
	void opened(EndpointConnection connection);

	/**
	 * Returns whether a text message is a request of the endpoint layer: a JSON object whose
	 * {@code meta} is an object with a string {@code endpoint}. The Cryo wire claims only those;
	 * everything else goes on to the application's events.
	 * @param text the message
	 * @return whether to hand it to {@link #dispatch}
	 */
	boolean isRequest(String text);

	/**
	 * Handles a text message: a request is routed and answered; anything else (invalid JSON,
	 * missing meta, oversize) is answered with an error response, with the request id when one
	 * could be read. Never throws.
	 * @param connection the connection
	 * @param text the message
	 */
	void dispatch(EndpointConnection connection, String text);

	/**
	 * Returns whether a binary handler is registered.
	 * @return whether binary messages are claimed
	 */
	boolean hasBinaryHandler();

	/**
	 * Handles a binary message: checks the binary handler's requirements and calls it. Never
	 * throws.
	 * @param connection the connection
	 * @param payload the message, read-only
	 */
	void dispatchBinary(EndpointConnection connection, ByteBuffer payload);

	/**
	 * A connection ended: it leaves the register, pending responses are dropped and the
	 * listeners' {@code onConnectionClosed} run. Calling it twice does nothing the second time.
	 * @param connection the connection
	 */
	void closed(EndpointConnection connection);

}
