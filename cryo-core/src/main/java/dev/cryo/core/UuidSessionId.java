package dev.cryo.core;

import java.util.Objects;
import java.util.UUID;

/**
 * A session id that is a UUID (the legacy generation).
 *
 * @param uuid the UUID
 */
public record UuidSessionId(UUID uuid) implements SessionId {

	/**
	 * Creates the id.
	 * @param uuid the UUID
	 */
	public UuidSessionId {
		Objects.requireNonNull(uuid, "uuid");
	}

	@Override
	public boolean isNumeric() {
		return false;
	}

	@Override
	public long asLong() {
		throw new IllegalStateException("Session id " + this + " is a UUID, not a number");
	}

	@Override
	public UUID asUuid() {
		return this.uuid;
	}

	@Override
	public int byteLength() {
		return 2 * Long.BYTES;
	}

	@Override
	public String toString() {
		return this.uuid.toString();
	}

}
