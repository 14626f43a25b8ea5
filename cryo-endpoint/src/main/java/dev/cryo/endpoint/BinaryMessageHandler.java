package dev.cryo.endpoint;

import java.nio.ByteBuffer;

/**
 * The binary handler in the functional API.
 */
@FunctionalInterface
public interface BinaryMessageHandler {

	/**
	 * Handles a binary message whose requirements were met.
	 * @param connection the connection that sent it
	 * @param payload a read-only view of the message
	 * @throws Exception anything; logged
	 */
	void handle(EndpointConnection connection, ByteBuffer payload) throws Exception;

}
