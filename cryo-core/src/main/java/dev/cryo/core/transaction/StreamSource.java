package dev.cryo.core.transaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

import org.jspecify.annotations.Nullable;

/**
 * The data of an outgoing transaction, read in order on a worker thread. Adapters exist for an
 * {@link InputStream}, a file and a {@link Flow.Publisher} of buffers.
 */
public interface StreamSource extends AutoCloseable {

	/**
	 * Reads the next bytes into {@code target}, blocking if need be.
	 * @param target where to put them
	 * @return the number of bytes read, or -1 at the end of the data
	 * @throws IOException if the data cannot be read
	 */
	int read(ByteBuffer target) throws IOException;

	@Override
	void close() throws IOException;

	/**
	 * Reads an input stream, which is closed at the end of the transaction.
	 * @param in the stream
	 * @return the source
	 */
	static StreamSource of(InputStream in) {
		return new StreamSource() {

			@Override
			public int read(ByteBuffer target) throws IOException {
				if (target.hasArray()) {
					int read = in.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
					if (read > 0) {
						target.position(target.position() + read);
					}
					return read;
				}
				byte[] bytes = new byte[target.remaining()];
				int read = in.read(bytes);
				if (read > 0) {
					target.put(bytes, 0, read);
				}
				return read;
			}

			@Override
			public void close() throws IOException {
				in.close();
			}

		};
	}

	/**
	 * Reads a file.
	 * @param file the file
	 * @return the source
	 * @throws IOException if the file cannot be opened
	 */
	static StreamSource of(Path file) throws IOException {
		FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
		return new StreamSource() {

			@Override
			public int read(ByteBuffer target) throws IOException {
				return channel.read(target);
			}

			@Override
			public void close() throws IOException {
				channel.close();
			}

		};
	}

	/**
	 * Reads a publisher of buffers, requesting one buffer at a time as the previous one has
	 * been consumed, so the publisher is paced by the transaction.
	 * @param publisher the publisher
	 * @return the source
	 */
	static StreamSource of(Flow.Publisher<ByteBuffer> publisher) {
		return new PublisherSource(publisher);
	}

	/** Bridges a publisher to blocking reads with a demand of one buffer. */
	final class PublisherSource implements StreamSource, Flow.Subscriber<ByteBuffer> {

		private static final Object COMPLETE = new Object();

		private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();

		private volatile Flow.@Nullable Subscription subscription;

		private @Nullable ByteBuffer current;

		private boolean ended;

		PublisherSource(Flow.Publisher<ByteBuffer> publisher) {
			publisher.subscribe(this);
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(1);
		}

		@Override
		public void onNext(ByteBuffer item) {
			this.signals.add(item.duplicate());
		}

		@Override
		public void onError(Throwable throwable) {
			this.signals.add(throwable);
		}

		@Override
		public void onComplete() {
			this.signals.add(COMPLETE);
		}

		@Override
		public int read(ByteBuffer target) throws IOException {
			while (true) {
				if (this.ended) {
					return -1;
				}
				ByteBuffer buffer = this.current;
				if (buffer != null && buffer.hasRemaining()) {
					int count = Math.min(buffer.remaining(), target.remaining());
					ByteBuffer slice = buffer.slice();
					slice.limit(count);
					target.put(slice);
					buffer.position(buffer.position() + count);
					if (!buffer.hasRemaining()) {
						this.current = null;
						Flow.Subscription active = this.subscription;
						if (active != null) {
							active.request(1);
						}
					}
					return count;
				}
				Object signal;
				try {
					signal = this.signals.take();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("Interrupted while waiting for the publisher");
				}
				if (signal == COMPLETE) {
					this.ended = true;
				}
				else if (signal instanceof Throwable failure) {
					throw new IOException("The publisher of the transaction failed", failure);
				}
				else {
					this.current = (ByteBuffer) signal;
					if (!this.current.hasRemaining()) {
						this.current = null;
						Flow.Subscription active = this.subscription;
						if (active != null) {
							active.request(1);
						}
					}
				}
			}
		}

		@Override
		public void close() {
			Flow.Subscription active = this.subscription;
			if (active != null && !this.ended) {
				active.cancel();
			}
		}

	}

}
