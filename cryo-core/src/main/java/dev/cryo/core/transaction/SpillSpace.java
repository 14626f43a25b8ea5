package dev.cryo.core.transaction;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The disk that the temporary files of transactions may use, shared by every session of an
 * endpoint: a quota on the bytes in those files at once, and a floor of usable space that
 * spilling never goes below. Buffers reserve bytes before they write them to a file and give
 * them back when the file shrinks or is deleted; a reservation that does not fit fails, and the
 * transaction with it, so a full disk is never reached through transactions.
 */
public final class SpillSpace {

	private final long quota;

	private final long minFreeSpace;

	private final LongConsumer listener;

	private final AtomicLong used = new AtomicLong();

	/** Looking a file store up reads the mount table: once per directory is enough. */
	private final Map<Path, FileStore> stores = new ConcurrentHashMap<>();

	/**
	 * Creates a spill space.
	 * @param quota most bytes in temporary files at once; 0 for no limit
	 * @param minFreeSpace usable bytes to leave on the disk of the temporary directory
	 * @param listener told the bytes in use after every change (metrics); called often, must be cheap
	 */
	public SpillSpace(long quota, long minFreeSpace, LongConsumer listener) {
		if (quota < 0 || minFreeSpace < 0) {
			throw new IllegalArgumentException("quota and minFreeSpace must not be negative");
		}
		this.quota = quota;
		this.minFreeSpace = minFreeSpace;
		this.listener = listener;
	}

	/**
	 * Creates the spill space the given options describe, reporting to nobody.
	 * @param options the options
	 * @return a new spill space
	 */
	public static SpillSpace of(TransactionOptions options) {
		return new SpillSpace(options.spillQuota(), options.minFreeSpace(), (bytes) -> {
		});
	}

	/**
	 * Returns the bytes reserved now, for all the temporary files that use this space.
	 * @return the bytes in use
	 */
	public long used() {
		return this.used.get();
	}

	/**
	 * Whether a new transaction that may spill must be refused: less than {@code headroom} bytes
	 * are left in the quota or on the disk above the floor.
	 */
	boolean isExhausted(Path directory, long headroom) {
		if (this.quota > 0 && this.used.get() + headroom > this.quota) {
			return true;
		}
		return usableSpace(directory) - headroom < this.minFreeSpace;
	}

	/**
	 * Reserves bytes about to be written to a temporary file in {@code directory}.
	 * @throws SpillSpaceExhaustedException if the quota or the disk has no room for them
	 */
	void reserve(Path directory, long bytes) throws SpillSpaceExhaustedException {
		if (bytes <= 0) {
			return;
		}
		long now = this.used.addAndGet(bytes);
		if (this.quota > 0 && now > this.quota) {
			this.listener.accept(this.used.addAndGet(-bytes));
			throw new SpillSpaceExhaustedException("the spill quota of " + this.quota + " bytes is used up");
		}
		if (usableSpace(directory) - bytes < this.minFreeSpace) {
			this.listener.accept(this.used.addAndGet(-bytes));
			throw new SpillSpaceExhaustedException("less than " + this.minFreeSpace + " bytes of disk would be left");
		}
		this.listener.accept(now);
	}

	/** Gives back bytes whose file shrank or was deleted. */
	void release(long bytes) {
		if (bytes > 0) {
			this.listener.accept(this.used.addAndGet(-bytes));
		}
	}

	private long usableSpace(Path directory) {
		try {
			FileStore store = this.stores.get(directory);
			if (store == null) {
				store = Files.getFileStore(directory);
				this.stores.put(directory, store);
			}
			return store.getUsableSpace();
		}
		catch (IOException ex) {
			// The directory is missing or unreadable: creating the file will fail and say why.
			return Long.MAX_VALUE;
		}
	}

	/** A temporary file may not grow: the spill quota is used up or the disk is nearly full. */
	static final class SpillSpaceExhaustedException extends IOException {

		private static final long serialVersionUID = 1L;

		SpillSpaceExhaustedException(String message) {
			super(message);
		}

	}

}
