package dev.cryo.server.cluster;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.springframework.util.Assert;

import dev.cryo.server.CryoSession;

/**
 * A message a {@link ClusterBroadcaster} delivers: UTF-8 text or binary bytes. How it travels
 * between nodes is the broadcaster's business.
 */
public sealed interface ClusterMessage permits ClusterMessage.Utf8, ClusterMessage.Binary {

	/**
	 * Sends the message to one session.
	 * @param session the recipient
	 * @return completes when the peer ACKs the message
	 */
	CompletableFuture<Void> sendTo(CryoSession session);

	/**
	 * A UTF-8 message.
	 * @param text the text
	 */
	record Utf8(String text) implements ClusterMessage {

		public Utf8 {
			Assert.notNull(text, "'text' must not be null");
		}

		@Override
		public CompletableFuture<Void> sendTo(CryoSession session) {
			return session.sendUtf8(this.text);
		}

	}

	/**
	 * A binary message. The payload is kept as a read-only view, and each recipient gets its own
	 * duplicate, so no position is shared.
	 * @param payload the bytes between position and limit
	 */
	record Binary(ByteBuffer payload) implements ClusterMessage {

		public Binary {
			Assert.notNull(payload, "'payload' must not be null");
			payload = payload.asReadOnlyBuffer();
		}

		@Override
		public ByteBuffer payload() {
			return this.payload.duplicate();
		}

		@Override
		public CompletableFuture<Void> sendTo(CryoSession session) {
			return session.sendBinary(this.payload.duplicate());
		}

	}

}
