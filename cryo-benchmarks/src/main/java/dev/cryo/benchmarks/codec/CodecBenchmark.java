package dev.cryo.benchmarks.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * Decode and encode of the two data frames at three payload sizes. Decoding returns views of the
 * message, so its cost should not grow with the size; encoding copies the payload once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBenchmark {

	@Param({ "UTF8DATA", "BINARYDATA" })
	public String type;

	@Param({ "64", "1024", "65536" })
	public int size;

	private Frame frame;

	private ByteBuffer message;

	@Setup
	public void setUp() {
		// ASCII text, so the UTF-8 bytes are valid and the same length as the binary payload.
		byte[] payload = new byte[this.size];
		Arrays.fill(payload, (byte) 'x');
		this.frame = switch (this.type) {
			case "UTF8DATA" -> new Utf8DataFrame(SessionId.of(0x1234_5678_9ABC_DEF0L), 42, ByteBuffer.wrap(payload));
			case "BINARYDATA" -> new BinaryDataFrame(SessionId.of(0x1234_5678_9ABC_DEF0L), 42, ByteBuffer.wrap(payload));
			default -> throw new IllegalArgumentException(this.type);
		};
		this.message = FrameCodec.encode(this.frame);
	}

	@Benchmark
	public Frame decode() {
		return FrameCodec.decode(this.message);
	}

	@Benchmark
	public ByteBuffer encode() {
		return FrameCodec.encode(this.frame);
	}

}
