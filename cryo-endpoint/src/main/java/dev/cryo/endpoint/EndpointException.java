package dev.cryo.endpoint;

import java.util.List;

/**
 * Thrown (or completing a handler's stage) to answer a request with {@code status:"error"} and
 * the given messages, which the client sees as they are. Any other exception is logged with the
 * request id and answered with {@value #INTERNAL_ERROR_MESSAGE}, never its message or stack trace.
 */
public class EndpointException extends RuntimeException {

	/** What the client is told when a handler fails with anything but an {@code EndpointException}. */
	public static final String INTERNAL_ERROR_MESSAGE = "Internal server error.";

	private final List<String> messages;

	/**
	 * Creates an exception with one message for the client.
	 * @param message the message
	 */
	public EndpointException(String message) {
		super(message);
		this.messages = List.of(message);
	}

	/**
	 * Creates an exception with several messages for the client, e.g. one per validation error.
	 * @param messages the messages, at least one
	 */
	public EndpointException(List<String> messages) {
		super(String.join("; ", messages));
		if (messages.isEmpty()) {
			throw new IllegalArgumentException("'messages' must not be empty");
		}
		this.messages = List.copyOf(messages);
	}

	/**
	 * Returns the messages the client is sent.
	 * @return the messages
	 */
	public List<String> getMessages() {
		return this.messages;
	}

}
