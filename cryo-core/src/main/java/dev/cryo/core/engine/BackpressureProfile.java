package dev.cryo.core.engine;

/**
 * The reference server's backpressure profiles (cryo-v1.md §11.2), offered as presets.
 */
public enum BackpressureProfile {

	/** The reference's default: 4 MiB / 1 MiB / 32 MiB / 4096 frames / drop-oldest. */
	DEFAULT(new BackpressureSettings(4L << 20, 1L << 20, 32L << 20, 4096, DropPolicy.DROP_OLDEST)),

	/** Small queues for low latency: 512 KiB / 128 KiB / 4 MiB / 512 frames / drop-oldest. */
	OPTIMIZE_LATENCY(new BackpressureSettings(512L << 10, 128L << 10, 4L << 20, 512, DropPolicy.DROP_OLDEST)),

	/** Smallest queues: 256 KiB / 64 KiB / 2 MiB / 256 frames / drop-oldest. */
	OPTIMIZE_MEMORY(new BackpressureSettings(256L << 10, 64L << 10, 2L << 20, 256, DropPolicy.DROP_OLDEST));

	private final BackpressureSettings settings;

	BackpressureProfile(BackpressureSettings settings) {
		this.settings = settings;
	}

	/**
	 * Returns the limits of this profile.
	 * @return the settings
	 */
	public BackpressureSettings settings() {
		return this.settings;
	}

}
