package dev.cryo.boot.autoconfigure.endtoend;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steps the dialect end-to-end tests take with a {@link RawCryoClient} over and over: open a
 * session that never sends ENDPOINT_INFO with a first message, send a command to
 * {@link DialectTestApplication} and take its ACK, accept a transaction the server starts, and
 * read a pushed transaction to its end. What a test checks of the chunks it asserts on the
 * {@link Download} it gets back, so that each test still says what it expects of its dialect.
 */
final class RawTransfers {

	private RawTransfers() {
	}

	/**
	 * Takes the server's ENDPOINT_INFO and, as a peer that sends none of its own, opens the session
	 * with a first message numbered 0 (camp.md §8 rule 2 (a), cryo-v1.md §3 rule 9 (a)).
	 */
	static void openWithAMessage(RawCryoClient client) {
		client.next(EndpointInfoFrame.class);
		client.send(Utf8DataFrame.of(client.sid(), 0, "hello"));
		assertThat(client.next()).isEqualTo(new AckFrame(client.sid(), 0));
	}

	/** Sends a {@link DialectTestApplication} command as a text message and expects its ACK. */
	static void command(RawCryoClient client, int ack, String command) {
		client.send(Utf8DataFrame.of(client.sid(), ack, command));
		assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(client.sid(), ack));
	}

	/** Reads the TX_START of a transaction the server starts and ACKs it. */
	static TxStartFrame acceptStart(RawCryoClient client) {
		TxStartFrame start = (TxStartFrame) client.nextIgnoringPings();
		client.send(new AckFrame(client.sid(), start.ack()));
		return start;
	}

	/**
	 * Receives a pushed transaction: ACKs its TX_START (and, as camp-client-browser does, its txid
	 * as well when {@code spuriousAck}), then reads it to the end as {@link #receiveRest} does.
	 */
	static Download receive(RawCryoClient client, boolean spuriousAck) {
		TxStartFrame start = acceptStart(client);
		if (spuriousAck) {
			client.send(new AckFrame(client.sid(), start.txid()));
		}
		return receiveRest(client, start);
	}

	/**
	 * Reads the chunks of a started transaction in arrival order, each of its txid, up to its
	 * TX_FINISH, which it ACKs; any other frame on the way fails the test.
	 */
	static Download receiveRest(RawCryoClient client, TxStartFrame start) {
		SessionId sid = client.sid();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		List<Chunk> chunks = new ArrayList<>();
		while (true) {
			Frame frame = client.nextIgnoringPings();
			if (frame instanceof TxChunkFrame chunk) {
				assertThat(chunk.txid()).isEqualTo(start.txid());
				chunks.add(new Chunk(chunk.position(), bytes.size(), chunk.payloadLength(), chunk.layout()));
				bytes.writeBytes(payload(chunk));
			}
			else if (frame instanceof TxFinishFrame finish) {
				assertThat(finish.txid()).isEqualTo(start.txid());
				client.send(new AckFrame(sid, finish.ack()));
				return new Download(start, bytes.toByteArray(), chunks);
			}
			else {
				throw new AssertionError("Unexpected frame in a download: " + frame);
			}
		}
	}

	/** The payload of a chunk as an array. */
	static byte[] payload(TxChunkFrame chunk) {
		byte[] payload = new byte[chunk.payload().remaining()];
		chunk.payload().get(payload);
		return payload;
	}

	/**
	 * A chunk as it arrived: its position field (an offset or a sequence number, by layout), how
	 * many bytes had arrived before it, its payload length and its layout.
	 */
	record Chunk(long position, long bytesBefore, int length, TransactionLayout layout) {
	}

	/** A transaction received whole: its TX_START, its bytes in arrival order and its chunks. */
	record Download(TxStartFrame start, byte[] bytes, List<Chunk> chunks) {

		/** The position fields of the chunks, in arrival order. */
		List<Long> positions() {
			return this.chunks.stream().map(Chunk::position).toList();
		}

	}

}
