package dev.cryo.endpoint.support;

import java.util.List;

/**
 * Told each time a limit of the endpoint layer turned a client away, so that it can be counted
 * (the Boot auto-configuration counts them in {@code cryo.endpoints.limits.exceeded}). Called on
 * the thread that hit the limit; must be cheap and must not throw.
 */
@FunctionalInterface
public interface EndpointLimitObserver {

	/** A request over {@code max-request-length}, answered without being parsed. */
	String REQUEST_LENGTH = "request-length";

	/** A request refused because its connection had {@code max-pending-requests} unanswered. */
	String PENDING_REQUESTS = "pending-requests";

	/** A request whose handler did not answer within {@code request-timeout}. */
	String REQUEST_TIMEOUT = "request-timeout";

	/** A yoctopus-wire message over {@code websocket.max-message-size} (closed with 1009). */
	String MESSAGE_SIZE = "message-size";

	/** A yoctopus-wire client that did not read its messages in time (closed with 1011). */
	String SEND_BUFFER = "send-buffer";

	/** A yoctopus-wire client that left {@code websocket.max-lost-pings} pings unanswered. */
	String LOST_PINGS = "lost-pings";

	/** Every limit above, for meters registered up front. */
	List<String> LIMITS = List.of(REQUEST_LENGTH, PENDING_REQUESTS, REQUEST_TIMEOUT, MESSAGE_SIZE,
			SEND_BUFFER, LOST_PINGS);

	/** Counts nothing. */
	EndpointLimitObserver NONE = (limit) -> {
	};

	/**
	 * A limit turned a client away.
	 * @param limit one of the constants of this interface
	 */
	void limitExceeded(String limit);

}
