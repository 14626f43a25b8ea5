package dev.cryo.server.support;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.SessionLimit;

/**
 * What one connection holds of the server's {@link ReassemblyBudget} for the message it is
 * receiving, and why that message was refused if it was: the bookkeeping the message assemblers
 * of both transports share. A reservation that does not fit refuses the message and gives back
 * everything the connection held. Not thread-safe: each assembler calls it under its own
 * discipline (a lock, or one event loop).
 */
public final class ReassemblyShare {

	/** Why a message was refused, and how its connection is closed for it. */
	public enum Refusal {

		/** Over the per-message limit, or more than the whole budget could ever hold: close with 1009. */
		TOO_BIG(SessionLimit.MESSAGE_SIZE, CloseCodes.MESSAGE_TOO_BIG, "Message too big."),

		/** More than what is left of the budget now: close with 1013. */
		NO_ROOM(SessionLimit.REASSEMBLY_BUDGET, CloseCodes.TRY_AGAIN_LATER, "Try again later.");

		private final SessionLimit limit;

		private final int closeCode;

		private final String reason;

		Refusal(SessionLimit limit, int closeCode, String reason) {
			this.limit = limit;
			this.closeCode = closeCode;
			this.reason = reason;
		}

		/**
		 * Returns the limit the peer reached, as counted in {@code cryo.limits.exceeded}.
		 * @return the limit
		 */
		public SessionLimit limit() {
			return this.limit;
		}

		/**
		 * Returns the close code the connection is closed with.
		 * @return the close code
		 */
		public int closeCode() {
			return this.closeCode;
		}

		/**
		 * Returns the close reason the connection is closed with.
		 * @return the close reason
		 */
		public String reason() {
			return this.reason;
		}

	}

	private final ReassemblyBudget budget;

	/** What this connection holds of the budget. */
	private long reserved;

	private @Nullable Refusal refusal;

	private boolean refusalTaken;

	/**
	 * Creates the share of one connection.
	 * @param budget the server's budget
	 */
	public ReassemblyShare(ReassemblyBudget budget) {
		this.budget = budget;
	}

	/**
	 * Reserves bytes for the message being received, or refuses the message: as
	 * {@link Refusal#TOO_BIG} when the connection's share would exceed the whole budget, as
	 * {@link Refusal#NO_ROOM} when only what is left of it is too small.
	 * @param bytes the bytes to reserve
	 * @return whether they were reserved; on {@code false} the message is refused and the share empty
	 */
	public boolean reserve(long bytes) {
		if (this.budget.tryReserve(bytes)) {
			this.reserved += bytes;
			return true;
		}
		refuse((this.reserved + bytes > this.budget.capacity()) ? Refusal.TOO_BIG : Refusal.NO_ROOM);
		return false;
	}

	/**
	 * Refuses the message being received and gives back everything the connection holds.
	 * @param why the refusal
	 */
	public void refuse(Refusal why) {
		this.refusal = why;
		releaseAll();
	}

	/**
	 * Returns whether a message was refused: the connection is to be closed.
	 * @return whether it was refused
	 */
	public boolean isRefused() {
		return this.refusal != null;
	}

	/**
	 * Returns why the message being received was refused, once: the caller closes the
	 * connection. Later calls return {@code null}.
	 * @return the refusal, or {@code null} when there is none to report
	 */
	public @Nullable Refusal takeRefusal() {
		if (this.refusal == null || this.refusalTaken) {
			return null;
		}
		this.refusalTaken = true;
		return this.refusal;
	}

	/**
	 * Keeps only this many of the reserved bytes and gives back the rest.
	 * @param bytes the bytes to keep, at most those reserved
	 */
	public void keep(long bytes) {
		this.budget.release(this.reserved - bytes);
		this.reserved = bytes;
	}

	/**
	 * Hands over what the connection holds, for whoever handles its message on another thread to
	 * {@linkplain ReassemblyBudget#release(long) give back}.
	 * @return the reserved bytes, no longer counted here
	 */
	public long take() {
		long bytes = this.reserved;
		this.reserved = 0;
		return bytes;
	}

	/** Gives back everything the connection holds. */
	public void releaseAll() {
		this.budget.release(take());
	}

	/**
	 * Returns the bytes the connection holds of the budget.
	 * @return the reserved bytes
	 */
	public long reserved() {
		return this.reserved;
	}

}
