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
 * @param maxExpeditedFrames cap on the ACKs and pongs waiting to be written; they are never
 * dropped, so a peer that makes the session queue more (it sends and does not read) is closed
 * with 1008
 */
public record BackpressureSettings(long highWaterMark, long lowWaterMark, long maxQueuedBytes, int maxQueueCount,
		DropPolicy dropPolicy, int maxExpeditedFrames) {

	/**
	 * The default cap on waiting ACKs and pongs: 4096 frames, about 450 KiB of heap. A peer that
	 * reads what it is sent never comes near it; one that sends as fast as it can and reads
	 * nothing reaches it within a fraction of a second.
	 */
	public static final int DEFAULT_MAX_EXPEDITED_FRAMES = 4096;

	/** The seed's defaults: 16 MiB / 1 MiB / 8 MiB / 1024 frames / drop-oldest, and 4096 ACKs and pongs. */
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
		if (maxExpeditedFrames < 1) {
			throw new IllegalArgumentException("maxExpeditedFrames must be positive");
		}
	}

	/**
	 * Creates settings with the {@linkplain #DEFAULT_MAX_EXPEDITED_FRAMES default cap} on ACKs
	 * and pongs.
	 * @param highWaterMark pending bytes at which the session becomes unwritable
	 * @param lowWaterMark pending bytes at or below which it becomes writable again
	 * @param maxQueuedBytes cap on the bytes of queued frames
	 * @param maxQueueCount cap on the number of queued frames
	 * @param dropPolicy what happens to a droppable frame that does not fit
	 */
	public BackpressureSettings(long highWaterMark, long lowWaterMark, long maxQueuedBytes, int maxQueueCount,
			DropPolicy dropPolicy) {
		this(highWaterMark, lowWaterMark, maxQueuedBytes, maxQueueCount, dropPolicy, DEFAULT_MAX_EXPEDITED_FRAMES);
	}

	/**
	 * Returns these settings with another cap on waiting ACKs and pongs.
	 * @param frames the cap
	 * @return the settings
	 */
	public BackpressureSettings withMaxExpeditedFrames(int frames) {
		return new BackpressureSettings(this.highWaterMark, this.lowWaterMark, this.maxQueuedBytes, this.maxQueueCount,
				this.dropPolicy, frames);
	}

}
