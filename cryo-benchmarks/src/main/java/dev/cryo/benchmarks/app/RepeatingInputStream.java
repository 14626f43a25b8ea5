package dev.cryo.benchmarks.app;

import java.io.InputStream;

/**
 * {@code size} bytes of a fixed 64 KiB pattern, copied out in bulk: a source whose own cost
 * is negligible, so a stream measures the transport and not the data generator. Both the Cryo
 * and the raw download use it.
 */
public final class RepeatingInputStream extends InputStream {

	private static final byte[] PATTERN = pattern();

	private final long size;

	private long position;

	public RepeatingInputStream(long size) {
		this.size = size;
	}

	/**
	 * Returns the pattern the stream repeats.
	 * @return a fresh copy of the 64 KiB pattern
	 */
	public static byte[] pattern() {
		byte[] pattern = new byte[64 * 1024];
		for (int i = 0; i < pattern.length; i++) {
			pattern[i] = (byte) (i % 251);
		}
		return pattern;
	}

	@Override
	public int read() {
		if (this.position >= this.size) {
			return -1;
		}
		return PATTERN[(int) (this.position++ % PATTERN.length)] & 0xFF;
	}

	@Override
	public int read(byte[] target, int offset, int length) {
		if (this.position >= this.size) {
			return -1;
		}
		int start = (int) (this.position % PATTERN.length);
		int count = (int) Math.min(Math.min(length, this.size - this.position), PATTERN.length - start);
		System.arraycopy(PATTERN, start, target, offset, count);
		this.position += count;
		return count;
	}

}
