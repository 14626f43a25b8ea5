package dev.cryo.core.transaction;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the session tests cannot show of one outgoing transaction: the room it waits for in the
 * send queue, and that this wait ends with the transaction.
 */
class OutgoingTransactionTests {

	@TempDir
	Path temporary;

	private final List<Thread> workers = new CopyOnWriteArrayList<>();

	private final Executor executor = (task) -> {
		Thread worker = new Thread(task, "test-worker");
		this.workers.add(worker);
		worker.start();
	};

	private OutgoingTransaction transaction(FakeChannel channel, int size) {
		return transaction(channel, size, 0);
	}

	/** A push of {@code size} bytes counting up from {@code first}, in chunks of 4 bytes. */
	private OutgoingTransaction transaction(FakeChannel channel, int size, int first) {
		TransactionOptions options = new TransactionOptions(4, 1024, 0, 8, 1024, this.temporary);
		byte[] data = new byte[size];
		for (int i = 0; i < size; i++) {
			data[i] = (byte) (first + i);
		}
		return new OutgoingTransaction(7, StreamSource.of(new ByteArrayInputStream(data)), FlowBehaviour.PUSH, channel,
				options, this.executor);
	}

	@Test
	void eachChunkWaitsForRoomForItsPayloadAndTheOverheadTheSessionNames() throws Exception {
		FakeChannel channel = new FakeChannel(21, CompletableFuture.completedFuture(null));
		OutgoingTransaction transaction = transaction(channel, 10);
		transaction.start("file", (numbered) -> {
		});
		assertThat(transaction.result()).succeedsWithin(Duration.ofSeconds(20));
		assertThat(channel.roomAwaited).containsExactly(21 + 4, 21 + 4, 21 + 2);
		assertThat(channel.chunks).hasSize(3);
	}

	@Test
	void chunksAreNeverLargerThanTheDialectCarriesWhateverTheChunkSize() throws Exception {
		// A chunk size configured for Cryo v1 must not make a CAMP session send more than 1 MiB
		// (camp.md §8 rule 10): here the options say 4 bytes, the session's dialect 3.
		FakeChannel channel = new FakeChannel(13, CompletableFuture.completedFuture(null), 3);
		OutgoingTransaction transaction = transaction(channel, 10);
		transaction.start("file", (numbered) -> {
		});
		assertThat(transaction.result()).succeedsWithin(Duration.ofSeconds(20));
		assertThat(channel.chunks).extracting(TxChunkFrame::payloadLength).containsExactly(3, 3, 3, 1);
	}

	@Test
	void chunksAreReadIntoMessagesThatAreReusedOnceWrittenAndOnlyThen() throws Exception {
		// Written at once: every chunk goes out in the same buffer, each with its own bytes.
		FakeChannel writing = new FakeChannel(13, CompletableFuture.completedFuture(null));
		writing.writeAtOnce = true;
		OutgoingTransaction reusing = transaction(writing, 10, 1);
		reusing.start("file", (numbered) -> {
		});
		assertThat(reusing.result()).succeedsWithin(Duration.ofSeconds(20));
		assertThat(writing.payloads).containsExactly("1,2,3,4", "5,6,7,8", "9,10");
		assertThat(writing.distinctMessages()).isEqualTo(1);
		// Never written: no buffer is handed out twice.
		FakeChannel holding = new FakeChannel(13, CompletableFuture.completedFuture(null));
		OutgoingTransaction keeping = transaction(holding, 10, 1);
		keeping.start("file", (numbered) -> {
		});
		assertThat(keeping.result()).succeedsWithin(Duration.ofSeconds(20));
		assertThat(holding.payloads).containsExactly("1,2,3,4", "5,6,7,8", "9,10");
		assertThat(holding.distinctMessages()).isEqualTo(3);
	}

	@Test
	void aTransactionWaitingForRoomStopsWaitingWhenItFails() throws Exception {
		FakeChannel channel = new FakeChannel(13, new CompletableFuture<>());
		OutgoingTransaction transaction = transaction(channel, 10);
		transaction.start("file", (numbered) -> {
		});
		while (channel.roomAwaited.isEmpty()) {
			Thread.sleep(1);
		}
		transaction.fail(new CryoTransactionException("cancelled"));
		Thread worker = this.workers.get(0);
		worker.join(20_000);
		assertThat(worker.isAlive()).isFalse();
		assertThat(channel.chunks).isEmpty();
	}

	/** A session whose tracked frames are ACKed at once, and whose send queue has room when {@code room} says so. */
	private static final class FakeChannel implements TransactionChannel {

		private final int chunkOverhead;

		private final CompletableFuture<Void> room;

		final List<Integer> roomAwaited = new CopyOnWriteArrayList<>();

		final List<TxChunkFrame> chunks = new CopyOnWriteArrayList<>();

		/** The payload bytes of each chunk as it was sent, before its buffer could be reused. */
		final List<String> payloads = new CopyOnWriteArrayList<>();

		final List<ByteBuffer> messages = new CopyOnWriteArrayList<>();

		/** Whether each message is written (and its buffer free again) as soon as it is queued. */
		volatile boolean writeAtOnce;

		private final int maxChunkPayload;

		FakeChannel(int chunkOverhead, CompletableFuture<Void> room) {
			this(chunkOverhead, room, Integer.MAX_VALUE);
		}

		FakeChannel(int chunkOverhead, CompletableFuture<Void> room, int maxChunkPayload) {
			this.chunkOverhead = chunkOverhead;
			this.room = room;
			this.maxChunkPayload = maxChunkPayload;
		}

		@Override
		public int maxChunkPayload() {
			return this.maxChunkPayload;
		}

		@Override
		public SessionId sid() {
			return SessionId.of(1);
		}

		@Override
		public CompletableFuture<Void> sendTracked(Frame frame) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public boolean sendChunk(TxChunkFrame chunk, ByteBuffer message, Runnable written) {
			// The message the session sends: room for the header, then exactly the chunk's payload.
			assertThat(message.position()).isZero();
			assertThat(message.remaining()).isEqualTo(this.chunkOverhead + chunk.payloadLength());
			assertThat(message.slice(this.chunkOverhead, chunk.payloadLength())).isEqualTo(chunk.payload());
			this.chunks.add(chunk);
			StringJoiner bytes = new StringJoiner(",");
			ByteBuffer payload = chunk.payload();
			while (payload.hasRemaining()) {
				bytes.add(Integer.toString(payload.get()));
			}
			this.payloads.add(bytes.toString());
			this.messages.add(message);
			if (this.writeAtOnce) {
				written.run();
			}
			return true;
		}

		/** How many different buffers the chunks were sent in. */
		long distinctMessages() {
			Set<ByteBuffer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
			distinct.addAll(this.messages);
			return distinct.size();
		}

		@Override
		public TransactionLayout layout() {
			return TransactionLayout.SEED;
		}

		@Override
		public CompletableFuture<Void> sendTracked(IntFunction<Frame> frameForAck) {
			return sendTracked(frameForAck.apply(0));
		}

		@Override
		public long maxQueuedBytes() {
			return 8 * 1024 * 1024;
		}

		@Override
		public int chunkOverhead(TransactionLayout layout) {
			return this.chunkOverhead;
		}

		@Override
		public CompletableFuture<Void> awaitRoom(int length) {
			this.roomAwaited.add(length);
			return this.room;
		}

		@Override
		public void sendError(String message) {
		}

		@Override
		public void streamStarted(IncomingStream stream) {
		}

	}

}
