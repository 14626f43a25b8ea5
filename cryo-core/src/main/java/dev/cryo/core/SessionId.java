package dev.cryo.core;

import java.io.Serializable;
import java.util.UUID;

/**
 * The id of one Cryo session, in the form its dialect puts on the wire: an unsigned 64-bit number
 * (Cryo v1 and CAMP) or a UUID (the legacy generation).
 *
 * <p>Ids are values: two ids are equal when they are of the same form and hold the same bits, so a
 * numeric id never equals a UUID. {@link #toString()} gives the form people read and clients send
 * (an unsigned decimal, or the canonical UUID text). Ids are serialisable, so selectors that name
 * them can travel between the nodes of a cluster.
 */
public sealed interface SessionId extends Comparable<SessionId>, Serializable permits NumericSessionId, UuidSessionId {

	/**
	 * Returns the id of a numeric session.
	 * @param unsignedValue the 64 bits, read as an unsigned number
	 * @return the id
	 */
	static SessionId of(long unsignedValue) {
		return new NumericSessionId(unsignedValue);
	}

	/**
	 * Returns the id of a UUID session.
	 * @param uuid the UUID
	 * @return the id
	 */
	static SessionId of(UUID uuid) {
		return new UuidSessionId(uuid);
	}

	/**
	 * Returns whether this is a numeric (unsigned 64-bit) id.
	 * @return {@code true} for Cryo v1 and CAMP ids
	 */
	boolean isNumeric();

	/**
	 * Returns the bits of a numeric id.
	 * @return the id as an unsigned 64-bit value held in a {@code long}
	 * @throws IllegalStateException if this is a UUID id
	 */
	long asLong();

	/**
	 * Returns the UUID of a UUID id.
	 * @return the UUID
	 * @throws IllegalStateException if this is a numeric id
	 */
	UUID asUuid();

	/**
	 * Returns how many bytes the id occupies in a frame header.
	 * @return 8 for a numeric id, 16 for a UUID
	 */
	int byteLength();

	/**
	 * Orders numeric ids before UUID ids, numeric ids as unsigned numbers and UUIDs by their bits.
	 */
	@Override
	default int compareTo(SessionId other) {
		if (isNumeric() != other.isNumeric()) {
			return isNumeric() ? -1 : 1;
		}
		if (isNumeric()) {
			return Long.compareUnsigned(asLong(), other.asLong());
		}
		return asUuid().compareTo(other.asUuid());
	}

	/**
	 * Returns the id as people read it and clients send it.
	 * @return the unsigned decimal form of a numeric id, or the canonical form of a UUID
	 */
	@Override
	String toString();

}
