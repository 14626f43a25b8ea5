package dev.cryo.core;

import java.util.UUID;

/**
 * A session id that is an unsigned 64-bit number (Cryo v1, CAMP).
 *
 * @param value the 64 bits, read as an unsigned number
 */
public record NumericSessionId(long value) implements SessionId {

	@Override
	public boolean isNumeric() {
		return true;
	}

	@Override
	public long asLong() {
		return this.value;
	}

	@Override
	public UUID asUuid() {
		throw new IllegalStateException("Session id " + this + " is numeric, not a UUID");
	}

	@Override
	public int byteLength() {
		return Long.BYTES;
	}

	@Override
	public String toString() {
		return Long.toUnsignedString(this.value);
	}

}
