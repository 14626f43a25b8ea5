package dev.cryo.core.transaction;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Limits and sizes of the transactions of a session (cryo-v1.md §10).
 *
 * @param chunkSize payload bytes per TX_CHUNK this endpoint sends (at most 16 MiB)
 * @param memoryThreshold unread bytes of an incoming stream kept in memory (the rest waits in a
 * temporary file), and the part of an outgoing pull source kept in memory
 * @param maxSize largest incoming transaction accepted, in bytes; 0 for no limit
 * @param maxConcurrent most incoming transactions running at once
 * @param pullWindow bytes requested per TX_PULL when this endpoint receives in pull mode
 * @param temporaryDirectory where spill files are created
 */
public record TransactionOptions(int chunkSize, long memoryThreshold, long maxSize, int maxConcurrent,
		long pullWindow, Path temporaryDirectory) {

	/** 64 KiB chunks, 1 MiB in memory, 4 GiB at most, 8 at once, 1 MiB pull windows, the JVM's temporary directory. */
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
	}

}
