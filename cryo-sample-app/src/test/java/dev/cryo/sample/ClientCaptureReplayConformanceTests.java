package dev.cryo.sample;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.CryoWire.Frame;
import dev.cryo.sample.CryoWire.Layout;
import dev.cryo.sample.DialectPeer.Kind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the frames the published clients put on the wire ({@code clientCaptures} of
 * cryo-v1.json and camp.json, byte for byte, with the captured sids) against the sample app, as
 * those clients send them: cryo-client-node 1.3.0 without ENDPOINT_INFO and without waiting for
 * ACKs, camp-client-node with its ENDPOINT_INFO first, camp-client-browser with its first frame
 * the ACK of ours, its end offsets and its spurious second ACK. The sample must answer every
 * tracked frame and its stream contract. Frames a capture does not contain (the chunks of a
 * pulled upload, a browser's first ACK in a session where it was not captured) are built with
 * {@link CryoWire} in the same client's way.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Published clients — their captured frames replayed against the sample")
class ClientCaptureReplayConformanceTests extends ConformanceSupport {

	private static final String ABCDEFGHIJ = sha256("abcdefghij".getBytes(StandardCharsets.US_ASCII));

	private static final String EMPTY = sha256(new byte[0]);

	@Test
	@DisplayName("cryo-v1.md §16, §3 rule 9, §10.5: cryo-client-node 1.3.0's small upload — ACK of our "
			+ "ENDPOINT_INFO, then TX_START (size -1), chunks seq 0-2 and TX_FINISH back to back — ACKed and reported")
	void cryoClientNodeSmallUpload() {
		String prefix = "cryo-client-node-1.3.0/";
		try (DialectPeer peer = connect(Kind.CRYO_1_4, sidOf(capture(prefix + "first-frame-ack")), false)) {
			peer.wire.expectServerEndpointInfo();
			for (String name : List.of("first-frame-ack", "small-upload-tx-start", "small-upload-tx-chunk-seq0",
					"small-upload-tx-chunk-seq1", "small-upload-tx-chunk-seq2", "small-upload-tx-finish")) {
				peer.wire.send(hex(capture(prefix + name)));
			}
			peer.awaitAck(1);
			peer.awaitAck(2);
			assertThat(peer.awaitText("stream ")).isEqualTo("stream up-push 10 " + ABCDEFGHIJ);
			peer.closeAsClient();
		}
	}

	@Test
	@DisplayName("cryo-v1.md §16.2, §3 rule 9 (a): cryo-client-node 1.3.0 whose first frame is UTF8DATA with ack 0 "
			+ "— ACKed and echoed; its empty upload and an unsolicited pong")
	void cryoClientNodeFirstFrameIsData() {
		String prefix = "cryo-client-node-1.3.0/";
		try (DialectPeer peer = connect(Kind.CRYO_1_4, sidOf(capture(prefix + "first-frame-utf8data")), false)) {
			peer.wire.expectServerEndpointInfo();
			peer.wire.send(hex(capture(prefix + "first-frame-utf8data")));
			peer.awaitAck(0);
			assertThat(peer.awaitText("hello ")).isEqualTo("hello from cryo-client-node 1.3.0");
			peer.wire.send(hex(capture(prefix + "tx-start")));
			peer.wire.send(hex(capture(prefix + "tx-finish")));
			peer.awaitAck(9);
			peer.awaitAck(10);
			assertThat(peer.awaitText("stream ")).isEqualTo("stream up-push 0 " + EMPTY);
			peer.wire.send(hex(capture(prefix + "pong")));
			peer.expectNone((frame) -> true, "an answer to the pong", DialectPeer.QUIET);
		}
	}

	@Test
	@DisplayName("camp.md §6, §7: camp-client-node — ENDPOINT_INFO first, the ACK of ours, UTF8DATA with ack 1, a "
			+ "push upload and an upload offered in pull mode (size 300000, fetched as [0, 300000)), and a TX_FETCH for "
			+ "a txid the server never started (ACK and ERROR naming it)")
	void campClientNode() {
		try (DialectPeer peer = connect(Kind.CAMP_NODE, sidOf(campCapture("camp-client-node/endpoint-info")), false)) {
			peer.wire.send(hex(campCapture("camp-client-node/endpoint-info")));
			peer.wire.expectServerEndpointInfo();
			peer.awaitAck(0);
			peer.wire.send(hex(campCapture("camp-client-node/ack-of-server-endpoint-info")));
			peer.wire.send(hex(campCapture("camp-client-node/utf8data")));
			peer.awaitAck(1);
			assertThat(peer.awaitText("hello ")).isEqualTo("hello from camp-client-node");

			// Push: TX_START (awaited), then chunks with start offsets and TX_FINISH (awaited).
			peer.wire.send(hex(campCapture("camp-client-node/tx-start-push")));
			peer.awaitAck(10);
			byte[] data = "abcdefghij".getBytes(StandardCharsets.US_ASCII);
			peer.wire.send(CryoWire.campTxChunk(peer.sid, 0, 0, data, 0, 4));
			peer.wire.send(CryoWire.campTxChunk(peer.sid, 0, 4, data, 4, 4));
			peer.wire.send(CryoWire.campTxChunk(peer.sid, 0, 8, data, 8, 2));
			peer.wire.send(CryoWire.ackAndTxid(peer.sid, CryoWire.TX_FINISH, 11, 0));
			peer.awaitAck(11);
			assertThat(peer.awaitText("stream ")).isEqualTo("stream up-push 10 " + ABCDEFGHIJ);

			// Pull: the server fetches the whole announced size, served in 64 KiB pieces.
			peer.wire.send(hex(campCapture("camp-client-node/tx-start-pull")));
			peer.awaitAck(12);
			byte[] pulled = servePullUpload(peer, 1, 300_000, 13);
			assertThat(peer.awaitText("stream ")).isEqualTo("stream up-pull 300000 " + sha256(pulled));

			peer.wire.send(hex(campCapture("camp-client-node/tx-fetch-whole")));
			peer.awaitAck(16);
			assertThat(peer.awaitError().text()).contains("txid 1");
			peer.closeAsClient();
		}
	}

	@Test
	@DisplayName("camp.md §6, §8 rule 2: camp-client-browser — never an ENDPOINT_INFO; its first frame the ACK of "
			+ "ours, UTF8DATA with ack 0, an upload offered in pull mode, an unsolicited pong")
	void campClientBrowserFirstSession() {
		String prefix = "camp-client-browser/";
		try (DialectPeer peer = connect(Kind.CAMP_BROWSER, sidOf(campCapture(prefix + "first-frame-ack")), true)) {
			peer.wire.expectServerEndpointInfo();
			peer.wire.send(hex(campCapture(prefix + "first-frame-ack")));
			peer.wire.send(hex(campCapture(prefix + "utf8data")));
			peer.awaitAck(0);
			assertThat(peer.awaitText("hello ")).isEqualTo("hello from camp-client-browser");
			peer.wire.send(hex(campCapture(prefix + "tx-start-pull")));
			peer.awaitAck(10);
			byte[] pulled = servePullUpload(peer, 1, 300_000, 11);
			assertThat(peer.awaitText("stream ")).isEqualTo("stream up-pull 300000 " + sha256(pulled));
			peer.wire.send(hex(campCapture(prefix + "pong")));
			peer.expectNone((frame) -> true, "an answer to the pong", DialectPeer.QUIET);
		}
	}

	@Test
	@DisplayName("camp.md §5, §7.3, §8 rules 3, 5: camp-client-browser's push upload with END offsets is reassembled "
			+ "in arrival order; a download to it is ACKed twice (ack, then the txid), which the txid = ack rule "
			+ "makes harmless")
	void campClientBrowserEndOffsetsAndDoubleAck() {
		String prefix = "camp-client-browser/";
		try (DialectPeer peer = connect(Kind.CAMP_BROWSER, sidOf(campCapture(prefix + "tx-start-push")), true)) {
			Frame info = peer.wire.expectServerEndpointInfo();
			peer.wire.send(CryoWire.ack(peer.sid, info.ack()));
			for (String name : List.of("tx-start-push", "tx-chunk-end-offset-0", "tx-chunk-end-offset-1",
					"tx-chunk-end-offset-2", "tx-finish")) {
				peer.wire.send(hex(campCapture(prefix + name)));
				if (name.equals("tx-start-push")) {
					peer.awaitAck(1); // awaited before the first chunk
				}
			}
			peer.awaitAck(2);
			assertThat(peer.awaitText("stream ")).isEqualTo("stream up-push 10 " + ABCDEFGHIJ);

			// The pump answers the server's TX_START with ACK(ack) and ACK(txid), as the client does.
			peer.wire.send(CryoWire.utf8(peer.sid, 3, "download 100000 to-browser"));
			peer.awaitAck(3);
			Frame start = peer.awaitStart("to-browser");
			assertThat(start.txid()).as("txid of the server's TX_START").isEqualTo(start.ack());
			peer.receive(start, 100_000);
			peer.wire.send(CryoWire.utf8(peer.sid, 4, "after the double ACK"));
			peer.awaitAck(4);
			assertThat(peer.awaitText("after ")).isEqualTo("after the double ACK");
		}
	}

	// ------------------------------------------------------------------ helpers

	/** Connects with the captured sid (retrying while a previous run's session with it ends). */
	private DialectPeer connect(Kind kind, long sid, boolean withOrigin) {
		String parameter = kind.isCamp() ? "x-CAMP-sid=" : "x-cryo-sid=";
		Map<String, String> headers = withOrigin ? Map.of("Origin", "http://127.0.0.1:" + this.port) : Map.of();
		CryoTestClient wire = CryoTestClient.connect(this.port, TOKEN + "&" + parameter + CryoWire.sid(sid), sid,
				headers, List.of(), kind.layout);
		return DialectPeer.over(kind, wire);
	}

	/**
	 * Answers the server's TX_FETCHes of a pull upload of {@code size} bytes (random data) with
	 * chunks of correct start offsets in 64 KiB pieces, as both published clients serve fetches,
	 * then TX_FINISH (with the given ack) once a fetch reached the size; returns the data.
	 */
	private static byte[] servePullUpload(DialectPeer peer, long txid, int size, long finish) {
		byte[] data = DialectPeer.randomBytes(size);
		long served = 0;
		while (served < size) {
			Frame fetch = peer.expect((frame) -> frame.is(CryoWire.CAMP_TX_FETCH) && frame.txid() == txid, "TX_FETCH");
			assertThat(fetch.rangeStart()).isEqualTo(served);
			long end = Math.min(fetch.rangeEnd(), size);
			for (long from = fetch.rangeStart(); from < end; from += DialectPeer.CHUNK) {
				int length = (int) Math.min(DialectPeer.CHUNK, end - from);
				peer.wire.send(CryoWire.campTxChunk(peer.sid, txid, from, data, (int) from, length));
			}
			served = end;
		}
		peer.wire.send(CryoWire.ackAndTxid(peer.sid, CryoWire.TX_FINISH, finish, txid));
		peer.awaitAck(finish);
		return data;
	}

	private static Map<String, Object> capture(String name) {
		return Vectors.clientCapture(name);
	}

	private static Map<String, Object> campCapture(String name) {
		return Vectors.campClientCapture(name);
	}

	private static byte[] hex(Map<String, Object> capture) {
		byte[] bytes = CryoWire.unhex((String) capture.get("hex"));
		Layout layout = ((String) capture.get("name")).startsWith("camp-") ? Layout.CAMP
				: ((String) capture.get("type")).contains("(1.4") ? Layout.CRYO_PROTOCOL_1_4 : Layout.SEED;
		assertThat(CryoWire.problems(bytes, layout)).as("capture %s", capture.get("name")).isEmpty();
		return bytes;
	}

	@SuppressWarnings("unchecked")
	private static long sidOf(Map<String, Object> capture) {
		return Long.parseUnsignedLong((String) ((Map<String, Object>) capture.get("fields")).get("sid"));
	}

}
