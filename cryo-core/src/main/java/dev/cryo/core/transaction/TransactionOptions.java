package dev.cryo.core.transaction;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Limits and sizes of the transactions of a session (cryo-v1.md §10). The last three
 * components are shared by every session of an endpoint: whoever owns the endpoint's
 * resources reads them once to create its {@link SpillSpace} and its worker pool.
 *
 * @param chunkSize payload bytes per TX_CHUNK this endpoint sends (at most 16 MiB)
 * @param memoryThreshold unread bytes of an incoming stream kept in memory (the rest waits in a
 * temporary file), and the part of an outgoing pull source kept in memory
 * @param maxSize largest incoming transaction accepted, in bytes; 0 for no limit
 * @param maxConcurrent most incoming transactions running at once
 * @param pullWindow bytes requested per TX_PULL when this endpoint receives in pull mode
 * @param temporaryDirectory where spill files are created
 * @param maxConcurrentOutgoing most outgoing transactions running at once in a session; further
 * ones fail at once
 * @param pullReadAhead bytes of an outgoing pull source read beyond the furthest byte served
 * @param pullRetention bytes behind the furthest byte served that an outgoing pull transaction
 * keeps addressable for ranges the peer requests again
 * @param spillQuota most bytes in temporary files at once, for all sessions of the endpoint; 0
 * for no limit
 * @param minFreeSpace usable bytes that spilling always leaves on the temporary directory's disk
 * @param threads most threads running the blocking work of transactions for the endpoint
 */
public record TransactionOptions(int chunkSize, long memoryThreshold, long maxSize, int maxConcurrent,
		long pullWindow, Path temporaryDirectory, int maxConcurrentOutgoing, long pullReadAhead, long pullRetention,
		long spillQuota, long minFreeSpace, int threads) {

	/** Default of {@link #maxConcurrentOutgoing()}: 8, as many as incoming. */
	public static final int DEFAULT_MAX_CONCURRENT_OUTGOING = 8;

	/** Default of {@link #pullReadAhead()}: one default pull window, 1 MiB. */
	public static final long DEFAULT_PULL_READ_AHEAD = 1L << 20;

	/** Default of {@link #pullRetention()}: 16 MiB. */
	public static final long DEFAULT_PULL_RETENTION = 16L << 20;

	/** Default of {@link #spillQuota()}: 8 GiB. */
	public static final long DEFAULT_SPILL_QUOTA = 8L << 30;

	/** Default of {@link #minFreeSpace()}: 512 MiB. */
	public static final long DEFAULT_MIN_FREE_SPACE = 512L << 20;

	/** Default of {@link #threads()}: 8. */
	public static final int DEFAULT_THREADS = 8;

	/**
	 * 64 KiB chunks, 1 MiB in memory, 4 GiB at most, 8 at once each way, 1 MiB pull windows and
	 * read-ahead, 16 MiB of pull retention, an 8 GiB spill quota leaving 512 MiB free, 8 threads,
	 * the JVM's temporary directory.
	 */
	public static final TransactionOptions DEFAULTS = new TransactionOptions(64 * 1024, 1L << 20, 4L << 30, 8, 1L << 20,
			Path.of(System.getProperty("java.io.tmpdir")));

	public TransactionOptions {
		Objects.requireNonNull(temporaryDirectory, "temporaryDirectory");
		if (chunkSize < 1 || chunkSize > dev.cryo.core.frame.Frame.MAX_PAYLOAD) {
			throw new IllegalArgumentException("chunkSize must be between 1 and 16 MiB");
		}
		if (memoryThreshold < 0 || maxSize < 0 || maxConcurrent < 1 || pullWindow < 1) {
			throw new IllegalArgumentException("transaction limits must be positive");
		}
		if (maxConcurrentOutgoing < 1 || pullReadAhead < 0 || pullRetention < 0 || spillQuota < 0 || minFreeSpace < 0
				|| threads < 1) {
			throw new IllegalArgumentException("transaction limits must be positive");
		}
	}

	/**
	 * Creates options with the default outgoing, pull, disk and thread limits.
	 * @param chunkSize payload bytes per TX_CHUNK this endpoint sends
	 * @param memoryThreshold unread bytes of an incoming stream kept in memory
	 * @param maxSize largest incoming transaction accepted; 0 for no limit
	 * @param maxConcurrent most incoming transactions running at once
	 * @param pullWindow bytes requested per TX_PULL
	 * @param temporaryDirectory where spill files are created
	 */
	public TransactionOptions(int chunkSize, long memoryThreshold, long maxSize, int maxConcurrent, long pullWindow,
			Path temporaryDirectory) {
		this(chunkSize, memoryThreshold, maxSize, maxConcurrent, pullWindow, temporaryDirectory,
				DEFAULT_MAX_CONCURRENT_OUTGOING, DEFAULT_PULL_READ_AHEAD, DEFAULT_PULL_RETENTION, DEFAULT_SPILL_QUOTA,
				DEFAULT_MIN_FREE_SPACE, DEFAULT_THREADS);
	}

}
