package dev.cryo.endpoint;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.cryo.server.CryoSession;

/**
 * One connection of the endpoint layer, whatever its wire: a Cryo session, or a plain WebSocket
 * speaking yoctopus's JSON frames. It carries the connection's settings and is the
 * {@link Notifier} of its own connection.
 */
public interface EndpointConnection extends Notifier {

	/** The wire of a connection that is a Cryo session. */
	String CRYO_WIRE = "cryo";

	/** The wire of a connection on yoctopus's plain-WebSocket endpoint. */
	String YOCTOPUS_WIRE = "yoctopus";

	/**
	 * Returns the connection's id: the Cryo session id on the Cryo wire, the WebSocket session id
	 * on the yoctopus wire.
	 * @return the id
	 */
	String id();

	/**
	 * Returns the wire the connection speaks, {@link #CRYO_WIRE} or {@link #YOCTOPUS_WIRE}.
	 * @return the wire
	 */
	String wire();

	/**
	 * Returns the principal the connection authenticated as.
	 * @return the principal, {@code null} when the connection did not authenticate
	 */
	@Nullable Principal principal();

	/**
	 * Returns the client's address.
	 * @return the address, {@code null} when the transport does not know it
	 */
	@Nullable InetSocketAddress remoteAddress();

	/**
	 * Returns whether the connection is encrypted (TLS).
	 * @return whether it is secure
	 */
	boolean isSecure();

	/**
	 * Returns the local port the connection arrived on.
	 * @return the port, {@code -1} when unknown
	 */
	int localPort();

	/**
	 * Returns the connection's settings, every plugin's.
	 * @return the settings
	 */
	ConnectionSettings settings();

	/**
	 * Returns whether the connection is still open.
	 * @return whether it is open
	 */
	boolean isOpen();

	/**
	 * Sends a text message as it is: the envelope is the caller's business.
	 * @param json the message
	 * @return completes when the transport took the message, or exceptionally when it could not
	 */
	CompletableFuture<Void> sendText(String json);

	/**
	 * Returns the Cryo session behind a connection on the Cryo wire.
	 * @return the session, {@code null} on the yoctopus wire
	 */
	@Nullable CryoSession cryoSession();

	/**
	 * Closes the connection (a Cryo session says goodbye; a WebSocket closes with 1000).
	 * @param reason the reason given to the peer
	 */
	void close(String reason);

}
