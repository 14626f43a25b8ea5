package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Lower-case hex as the vector files write it. */
final class Hex {

	private static final HexFormat FORMAT = HexFormat.of();

	private Hex() {
	}

	static byte[] bytes(String hex) {
		return FORMAT.parseHex(hex);
	}

	static ByteBuffer buffer(String hex) {
		return ByteBuffer.wrap(bytes(hex));
	}

	static String of(byte[] bytes) {
		return FORMAT.formatHex(bytes);
	}

	static String of(ByteBuffer buffer) {
		ByteBuffer copy = buffer.duplicate();
		byte[] bytes = new byte[copy.remaining()];
		copy.get(bytes);
		return of(bytes);
	}

}
