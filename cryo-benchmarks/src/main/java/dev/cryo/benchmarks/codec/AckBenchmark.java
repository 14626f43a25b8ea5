package dev.cryo.benchmarks.codec;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.Frame;

/**
 * Decode and encode of ACK, the frame every data frame costs in the other direction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AckBenchmark {

	private final AckFrame frame = new AckFrame(SessionId.of(0x1234_5678_9ABC_DEF0L), 42);

	private final ByteBuffer message = FrameCodec.encode(this.frame);

	@Benchmark
	public Frame decode() {
		return FrameCodec.decode(this.message);
	}

	@Benchmark
	public ByteBuffer encode() {
		return FrameCodec.encode(this.frame);
	}

}
