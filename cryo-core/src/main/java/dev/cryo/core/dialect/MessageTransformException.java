package dev.cryo.core.dialect;

import java.io.Serial;

/**
 * Thrown by {@link MessageTransform#outbound} when a message cannot be transformed and the
 * session must end: the session closes with the exception's code and reason instead of writing
 * the message.
 */
public class MessageTransformException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final int closeCode;

	private final String closeReason;

	/**
	 * Creates an exception whose message is the close reason.
	 * @param closeCode the close code the session ends with
	 * @param closeReason the close reason, at most 123 bytes of UTF-8
	 */
	public MessageTransformException(int closeCode, String closeReason) {
		super(closeReason);
		this.closeCode = closeCode;
		this.closeReason = closeReason;
	}

	/**
	 * Returns the close code the session ends with.
	 * @return the code
	 */
	public int closeCode() {
		return this.closeCode;
	}

	/**
	 * Returns the close reason the session ends with.
	 * @return the reason
	 */
	public String closeReason() {
		return this.closeReason;
	}

}
