package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Lower-case hex as the vector files write it; public for the vector tests of the dialect packages. */
public final class Hex {

	private static final HexFormat FORMAT = HexFormat.of();

	private Hex() {
	}

	/** The bytes of a hex string. */
	public static byte[] bytes(String hex) {
		return FORMAT.parseHex(hex);
	}

	/** A buffer over the bytes of a hex string. */
	public static ByteBuffer buffer(String hex) {
		return ByteBuffer.wrap(bytes(hex));
	}

	/** The hex of an array. */
	public static String of(byte[] bytes) {
		return FORMAT.formatHex(bytes);
	}

	/** The hex of the remaining bytes of a buffer, whose position is left alone. */
	public static String of(ByteBuffer buffer) {
		ByteBuffer copy = buffer.duplicate();
		byte[] bytes = new byte[copy.remaining()];
		copy.get(bytes);
		return of(bytes);
	}

}
