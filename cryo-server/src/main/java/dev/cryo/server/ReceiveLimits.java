package dev.cryo.server;

/**
 * How much of the heap received messages may take (cryo-server's answer to peers that send
 * large messages all at once).
 *
 * <p>The endpoint takes WebSocket messages in parts and joins the parts of each message itself.
 * Every connection that is receiving a message in parts reserves what it holds from one
 * server-wide budget, part by part, and gives it back once the message has been handled. A
 * message counts twice while it is being received: once for the parts, once for the one array
 * they are joined into when the last part arrives, so a budget of {@code B} lets messages of
 * {@code B / 2} bytes be in reassembly at once. A message that does not fit into what is left
 * of the budget is refused, its connection closed with 1013 ("Try again later"); one that could
 * never fit, even into the whole budget, or that is larger than {@code maxMessageSize}, with
 * 1009 ("Message too big").
 *
 * @param maxMessageSize the largest WebSocket message (a whole frame, header included) a
 * session accepts, in bytes; 0 for each dialect's own maximum (16 777 233 for Cryo v1). A limit
 * above a dialect's maximum has no effect on that dialect
 * @param reassemblyBudget the bytes all sessions together may hold for messages in reassembly
 */
public record ReceiveLimits(int maxMessageSize, long reassemblyBudget) {

	/** The share of the heap ({@code Runtime.maxMemory()}) that the default budget takes: a quarter. */
	public static final int DEFAULT_BUDGET_HEAP_DIVISOR = 4;

	public ReceiveLimits {
		if (maxMessageSize < 0) {
			throw new IllegalArgumentException("maxMessageSize must not be negative");
		}
		if (reassemblyBudget <= 0) {
			throw new IllegalArgumentException("reassemblyBudget must be positive");
		}
	}

	/**
	 * Returns the defaults: each dialect's own message limit, and a quarter of the heap as the
	 * budget. Since a message counts twice while it is received, reassembly then never holds
	 * more than an eighth of the heap in parts plus as much in joined messages, and the rest is
	 * left to the application, the send queues and the container: a 512 MiB heap receives three
	 * 16 MiB messages at once (each reserves up to 34 MiB) and refuses more with 1013 instead of
	 * running out of memory.
	 * @return the default limits, from the heap of this JVM
	 */
	public static ReceiveLimits defaults() {
		return new ReceiveLimits(0, defaultReassemblyBudget());
	}

	/**
	 * Returns the default budget: a quarter of the most heap this JVM will use.
	 * @return the budget in bytes
	 */
	public static long defaultReassemblyBudget() {
		return Runtime.getRuntime().maxMemory() / DEFAULT_BUDGET_HEAP_DIVISOR;
	}

	/**
	 * Returns the largest message a session of a dialect accepts: this limit or the dialect's,
	 * whichever is smaller.
	 * @param dialectMaximum the dialect's largest legal message
	 * @return the effective limit
	 */
	public int maxMessageSize(int dialectMaximum) {
		return (this.maxMessageSize == 0) ? dialectMaximum : Math.min(this.maxMessageSize, dialectMaximum);
	}

}
