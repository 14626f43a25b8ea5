package dev.cryo.core.transaction;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The incoming side's buffer: memory bounded by the bytes not yet read, a temporary file only
 * while the reader lags a whole threshold behind, and memory again once it has caught up.
 */
class ReceiveBufferTests {

	@TempDir
	Path temporary;

	private ReceiveBuffer buffer;

	@AfterEach
	void release() {
		if (this.buffer != null) {
			this.buffer.release();
		}
	}

	@Test
	void readerThatKeepsUpNeverTouchesTheDisk() throws IOException {
		this.buffer = new ReceiveBuffer(128 * 1024, this.temporary);
		Random random = new Random(1);
		ByteArrayOutputStream written = new ByteArrayOutputStream();
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		byte[] chunk = new byte[64 * 1024];
		for (int i = 0; i < 100; i++) {
			random.nextBytes(chunk);
			this.buffer.write(ByteBuffer.wrap(chunk));
			written.write(chunk);
			assertThat(this.buffer.bytesInMemory()).isLessThanOrEqualTo(128 * 1024);
			read.write(readAvailable(read.size()));
		}
		assertThat(this.buffer.hasSpilled()).isFalse();
		assertThat(this.buffer.size()).isEqualTo(100L * chunk.length);
		assertThat(read.toByteArray()).isEqualTo(written.toByteArray());
		assertThat(this.buffer.bytesInMemory()).isZero();
	}

	@Test
	void laggingReaderSpillsThenCatchesUpAndMemoryIsUsedAgain() throws IOException {
		this.buffer = new ReceiveBuffer(100_000, this.temporary);
		byte[] data = new byte[1_000_000];
		new Random(2).nextBytes(data);
		this.buffer.write(ByteBuffer.wrap(data));
		assertThat(this.buffer.bytesInMemory()).isEqualTo(100_000);
		assertThat(this.buffer.hasSpilled()).isTrue();

		byte[] all = readAvailable(0);
		assertThat(all).isEqualTo(data);
		assertThat(this.buffer.bytesInMemory()).isZero();

		// Caught up: the next bytes are held in memory again.
		this.buffer.write(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
		assertThat(this.buffer.bytesInMemory()).isEqualTo(3);
		assertThat(readAvailable(data.length)).containsExactly(1, 2, 3);
	}

	@ParameterizedTest(name = "threshold {0}")
	@ValueSource(ints = { 0, 1, 1000, 65_536, 200_000, 10_000_000 })
	void anyInterleavingOfWritesAndReadsReturnsTheBytesInOrder(int threshold) throws IOException {
		this.buffer = new ReceiveBuffer(threshold, this.temporary);
		Random random = new Random(threshold);
		ByteArrayOutputStream written = new ByteArrayOutputStream();
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		for (int step = 0; step < 400; step++) {
			if (random.nextInt(3) > 0) {
				byte[] chunk = new byte[random.nextInt(70_000)];
				random.nextBytes(chunk);
				this.buffer.write(ByteBuffer.wrap(chunk));
				written.write(chunk);
			}
			else {
				byte[] target = new byte[random.nextInt(150_000) + 1];
				int count = this.buffer.read(read.size(), ByteBuffer.wrap(target));
				read.write(target, 0, count);
			}
			assertThat(this.buffer.bytesInMemory()).isLessThanOrEqualTo(Math.max(threshold, 0));
		}
		read.write(readAvailable(read.size()));
		assertThat(Arrays.equals(read.toByteArray(), written.toByteArray())).isTrue();
		assertThat(this.buffer.size()).isEqualTo(written.size());
	}

	@Test
	void readsAreSequentialOnly() throws IOException {
		this.buffer = new ReceiveBuffer(1000, this.temporary);
		this.buffer.write(ByteBuffer.wrap(new byte[10]));
		assertThatIllegalStateException().isThrownBy(() -> this.buffer.read(5, ByteBuffer.allocate(4)));
	}

	@Test
	void releaseDeletesTheFileAndEndsReading() throws IOException {
		this.buffer = new ReceiveBuffer(10, this.temporary);
		this.buffer.write(ByteBuffer.wrap(new byte[1000]));
		Path file = this.buffer.spillFile();
		assertThat(file).isNotNull();
		this.buffer.release();
		assertThat(Files.exists(file)).isFalse();
		assertThat(this.buffer.hasSpilled()).isFalse();
		assertThat(this.buffer.bytesInMemory()).isZero();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.buffer.read(0, ByteBuffer.allocate(1)));
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.buffer.write(ByteBuffer.allocate(1)));
	}

	private byte[] readAvailable(long position) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteBuffer target = ByteBuffer.allocate(48 * 1024);
		while (true) {
			target.clear();
			int count = this.buffer.read(position + out.size(), target);
			if (count == 0) {
				return out.toByteArray();
			}
			out.write(target.array(), 0, count);
		}
	}

}
