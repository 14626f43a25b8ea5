package dev.cryo.core.transaction;

/**
 * A transaction failed: it was cancelled by the peer, replaced, over a limit, not
 * acknowledged, or its session ended.
 */
public final class CryoTransactionException extends Exception {

	private static final long serialVersionUID = 1L;

	CryoTransactionException(String message) {
		super(message);
	}

	CryoTransactionException(String message, Throwable cause) {
		super(message, cause);
	}

}
