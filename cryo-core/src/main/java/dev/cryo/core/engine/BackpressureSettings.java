package dev.cryo.core.engine;

import java.util.Objects;

/**
 * The send-queue limits of a session (cryo-v1.md §11).
 *
 * @param highWaterMark pending bytes (queued plus in flight to the transport) at which the
 * session becomes unwritable
 * @param lowWaterMark pending bytes at or below which an unwritable session becomes writable again
 * @param maxQueuedBytes cap on the bytes of queued (not yet handed over) frames
 * @param maxQueueCount cap on the number of queued frames
 * @param dropPolicy what happens to a droppable frame that does not fit
 */
public record BackpressureSettings(long highWaterMark, long lowWaterMark, long maxQueuedBytes, int maxQueueCount,
		DropPolicy dropPolicy) {

	/** The seed's defaults: 16 MiB / 1 MiB / 8 MiB / 1024 frames / drop-oldest. */
	public static final BackpressureSettings SEED_DEFAULTS = new BackpressureSettings(16L << 20, 1L << 20, 8L << 20, 1024,
			DropPolicy.DROP_OLDEST);

	public BackpressureSettings {
		Objects.requireNonNull(dropPolicy, "dropPolicy");
		if (highWaterMark <= 0 || lowWaterMark < 0 || lowWaterMark >= highWaterMark) {
			throw new IllegalArgumentException("need 0 <= lowWaterMark < highWaterMark");
		}
		if (maxQueuedBytes <= 0 || maxQueueCount < 1) {
			throw new IllegalArgumentException("maxQueuedBytes and maxQueueCount must be positive");
		}
	}

}
