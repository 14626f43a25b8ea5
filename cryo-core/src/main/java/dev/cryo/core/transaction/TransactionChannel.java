package dev.cryo.core.transaction;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;

/**
 * What transactions need from their session: sending frames through its send queue and
 * waiting for room in it. Implemented by the session engine.
 */
public interface TransactionChannel {

	/**
	 * Returns the session id.
	 * @return the id of the session
	 */
	SessionId sid();

	/**
	 * Sends a tracked frame (TX_START, TX_FINISH, TX_FLOW, TX_PULL) with the next ack number.
	 * @param frame the frame; its ack field is replaced
	 * @return completes when the peer ACKs it
	 */
	CompletableFuture<Void> sendTracked(Frame frame);

	/**
	 * Sends a tracked frame built from the ack number it is sent with: how a CAMP transaction
	 * takes the ack of its TX_START as its txid (camp.md §8 rule 5).
	 * @param frameForAck builds the frame from its ack number; called once, before the frame is queued
	 * @return completes when the peer ACKs it
	 */
	CompletableFuture<Void> sendTracked(IntFunction<Frame> frameForAck);

	/**
	 * Returns the transaction layout the session uses for transactions that start now.
	 * @return the layout
	 */
	TransactionLayout layout();

	/**
	 * Queues a chunk (protected: never dropped) as the message that already holds it: the
	 * transaction read the payload into {@code message} after {@link #chunkOverhead} bytes left
	 * free, and the session writes the chunk's header there instead of copying the payload into
	 * a message of its own. The message belongs to the session until {@code written} runs.
	 * @param chunk the chunk, whose payload is the part of {@code message} after the room
	 * @param message position 0, the room, then the payload up to the limit
	 * @param written run once, on any thread, when the session no longer needs the message (it
	 * was written, or its write failed); not run for a message the session discards as it ends
	 * @return whether the session took it (false once it is closing)
	 */
	boolean sendChunk(TxChunkFrame chunk, ByteBuffer message, Runnable written);

	/**
	 * Returns the bytes a TX_CHUNK frame adds to its payload on the wire, so that transactions
	 * wait for room for the whole frame without knowing how the session encodes it.
	 * @param layout the layout of the chunk's transaction
	 * @return the length of a chunk frame minus its payload
	 */
	int chunkOverhead(TransactionLayout layout);

	/**
	 * Returns the session's send queue cap in bytes ({@code cryo.backpressure.max-queued-bytes}):
	 * no more chunks than fit in it are ever waiting at once, which bounds the chunk buffers a
	 * transaction keeps for reuse.
	 * @return the cap
	 */
	long maxQueuedBytes();

	/**
	 * Returns the largest chunk payload the session's dialect carries (1 MiB in CAMP): chunks
	 * are never larger, whatever {@link TransactionOptions#chunkSize()} says.
	 * @return the largest payload of a TX_CHUNK
	 */
	default int maxChunkPayload() {
		return Integer.MAX_VALUE;
	}

	/**
	 * Waits for room for a frame of the given length in the send queue (backpressure).
	 * @param length the encoded frame length
	 * @return completes when there is room
	 */
	CompletableFuture<Void> awaitRoom(int length);

	/**
	 * Sends an ERROR frame with a text naming the problem (and the txid); a session whose peer
	 * misreads ERROR frames (cryo-protocol 1.4, cryo-v1.md §10.5) only logs it.
	 * @param message the text
	 */
	void sendError(String message);

	/**
	 * Reports that an incoming transaction started.
	 * @param stream the stream
	 */
	void streamStarted(IncomingStream stream);

	/**
	 * Reports that a limit refused a transaction or a request within one (metrics).
	 * @param reason which limit
	 */
	default void refused(TransactionRefusal reason) {
	}

}
