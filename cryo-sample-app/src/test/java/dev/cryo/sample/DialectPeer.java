package dev.cryo.sample;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import dev.cryo.sample.CryoTestClient.Close;
import dev.cryo.sample.CryoWire.Frame;
import dev.cryo.sample.CryoWire.Layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A client of one of the dialects the sample app serves on {@code /cryo}, behaving on the wire as
 * the client it stands for (see {@link Kind}), on top of the independent {@link CryoTestClient} and
 * {@link CryoWire}. It numbers its tracked frames as that client does, ACKs what that client ACKs,
 * answers pings, keeps every other frame in an inbox so that a test can wait for one frame while
 * others (an echo, an ACK) arrive around it, and runs the sample's stream contract in each
 * dialect's transaction layout, checking every byte and every layout field the server writes.
 */
final class DialectPeer implements AutoCloseable {

	static final Duration WAIT = Duration.ofSeconds(10);

	/** How long "nothing arrives" is watched for. */
	static final Duration QUIET = Duration.ofMillis(300);

	/** The chunk size the server uses by default, and the one the clients here send. */
	static final int CHUNK = 64 * 1024;

	/** The server's default {@code pull-window}: the ranges it fetches of a pull upload. */
	static final int PULL_WINDOW = 1024 * 1024;

	/** The clients the sample app serves at once. */
	enum Kind {

		/**
		 * A Cryo v1 client of the seed (cryo-v1.md §3, §4.3): sends ENDPOINT_INFO (ack 0), ACKs the
		 * server's, data from ack 1, seed transaction layouts, waits for the ACK of TX_START before
		 * its chunks and for the ACK of TX_FINISH, ACKs ERROR, chooses pull mode with TX_FLOW.
		 */
		CRYO_V1("Cryo v1 (seed)", Layout.SEED),

		/**
		 * The published Cryo v1 client generation, cryo-client-node 1.3.0 (cryo-v1.md §16,
		 * {@code clientCaptures}): never sends ENDPOINT_INFO, ACKs the server's, data from ack 0,
		 * the cryo-protocol 1.4 layouts (TX_START with size −1, TX_CHUNK with seq 0, 1, 2 …), does
		 * not wait for any ACK between TX_START, its chunks and TX_FINISH, never ACKs ERROR, and
		 * closes with 4000 "Client finished." without BYE.
		 */
		CRYO_1_4("cryo-protocol 1.4 generation", Layout.CRYO_PROTOCOL_1_4),

		/**
		 * camp-client-node (camp.md §1, §6): {@code x-CAMP-sid}, no subprotocol, sends ENDPOINT_INFO
		 * (ack 0) right after the WebSocket opens, ACKs the server's, data from ack 1, TX_CHUNK with
		 * correct start offsets, waits for the ACKs of TX_START and TX_FINISH, closes with 4000
		 * "Client finished." without BYE.
		 */
		CAMP_NODE("camp-client-node", Layout.CAMP),

		/**
		 * camp-client-browser (camp.md §1, §5, §6, §7.3): {@code x-CAMP-sid}, a same-origin
		 * {@code Origin} header, no subprotocol, never sends ENDPOINT_INFO (its first frame is the
		 * ACK of the server's), data from ack 0, TX_CHUNK with the END offset of each chunk, two
		 * ACKs for an incoming TX_START (its ack, then a spurious one carrying the txid).
		 */
		CAMP_BROWSER("camp-client-browser", Layout.CAMP),

		/**
		 * A client following the CAMP text (camp.md §1): offers the {@code camp} subprotocol, sends
		 * its sid in {@code x-camp-sid} and ENDPOINT_INFO right after the WebSocket opens, correct
		 * offsets, ends with BYE or a close.
		 */
		CAMP_SUBPROTOCOL("CAMP with the camp subprotocol", Layout.CAMP);

		final String label;

		final Layout layout;

		Kind(String label, Layout layout) {
			this.label = label;
			this.layout = layout;
		}

		boolean isCamp() {
			return this.layout == Layout.CAMP;
		}

		/** Whether the client sends ENDPOINT_INFO (its data then starts at ack 1). */
		boolean announces() {
			return this != CRYO_1_4 && this != CAMP_BROWSER;
		}

		/** The largest UTF8DATA/BINARYDATA payload of the dialect (cryo-v1.md §9, camp.md §2). */
		int maxPayload() {
			return isCamp() ? CryoWire.CAMP_MAX_PAYLOAD : CryoWire.MAX_PAYLOAD;
		}

		/** The name {@code CryoSession.dialect()} gives the session. */
		String dialect() {
			return isCamp() ? "camp" : "cryo-v1";
		}

		@Override
		public String toString() {
			return this.label;
		}

	}

	final Kind kind;

	final long sid;

	final CryoTestClient wire;

	private final LinkedList<Frame> inbox = new LinkedList<>();

	/** The client's own txid counter, from 0 like the published clients'. */
	private long nextTxid;

	private DialectPeer(Kind kind, long sid, CryoTestClient wire) {
		this.kind = kind;
		this.sid = sid;
		this.wire = wire;
	}

	// ------------------------------------------------------------------ opening

	/** Connects as the given client and opens the session the way it does. */
	static DialectPeer open(int port, Kind kind) {
		return open(port, kind, true);
	}

	/**
	 * Connects as the given client; {@code acknowledgeOpening} false leaves out the ACK of the
	 * server's ENDPOINT_INFO (a cryo-client-node 1.3.0 whose listener lost that frame, cryo-v1.md
	 * §16.2: its first frame is then its first data frame).
	 */
	static DialectPeer open(int port, Kind kind, boolean acknowledgeOpening) {
		long sid = ConformanceSupport.randomSid();
		String query = "authorization=Bearer+" + CryoTestClient.DEV_TOKEN + "&" + switch (kind) {
			case CRYO_V1, CRYO_1_4 -> "x-cryo-sid=";
			case CAMP_NODE, CAMP_BROWSER -> "x-CAMP-sid=";
			case CAMP_SUBPROTOCOL -> "x-camp-sid=";
		} + CryoWire.sid(sid);
		// The sample allows same-origin pages only (no cryo.allowed-origins): a browser client is
		// one whose page the server itself serves.
		Map<String, String> headers = (kind == Kind.CAMP_BROWSER) ? Map.of("Origin", "http://127.0.0.1:" + port)
				: Map.of();
		List<String> subprotocols = (kind == Kind.CAMP_SUBPROTOCOL) ? List.of("camp") : List.of();
		CryoTestClient wire = CryoTestClient.connect(port, query, sid, headers, subprotocols, kind.layout);
		DialectPeer peer = new DialectPeer(kind, sid, wire);
		try {
			peer.opening(acknowledgeOpening);
		}
		catch (RuntimeException | AssertionError ex) {
			wire.close();
			throw ex;
		}
		return peer;
	}

	/**
	 * A peer over a connection whose opening the caller does itself (replaying captured frames,
	 * for instance); the client's ack counter is the connection's.
	 */
	static DialectPeer over(Kind kind, CryoTestClient wire) {
		return new DialectPeer(kind, wire.sid, wire);
	}

	private void opening(boolean acknowledgeOpening) {
		// camp.md §1 rule 3: camp is answered only when offered, never selected otherwise.
		assertThat(this.wire.subprotocol()).as("selected subprotocol")
			.isEqualTo((this.kind == Kind.CAMP_SUBPROTOCOL) ? "camp" : "");
		if (this.kind.announces()) {
			// Sent right after the WebSocket opened, without waiting for the server's (§3 rule 2).
			long ack = this.wire.nextAck();
			this.wire.send(CryoWire.endpointInfo(this.sid, ack, 1, CryoWire.FEATURE_TRANSACTIONS));
			Frame info = this.wire.expectServerEndpointInfo();
			this.wire.expectAck(ack);
			this.wire.send(CryoWire.ack(this.sid, info.ack()));
		}
		else {
			// It waits for the server's, ACKs it (its first frame ever) and checks the version.
			Frame info = this.wire.expectServerEndpointInfo();
			if (acknowledgeOpening) {
				this.wire.send(CryoWire.ack(this.sid, info.ack()));
			}
		}
	}

	// ------------------------------------------------------------------ sending

	long nextAck() {
		return this.wire.nextAck();
	}

	/** Sends UTF8DATA with the next ack number and returns that number. */
	long text(String text) {
		long ack = nextAck();
		this.wire.send(CryoWire.utf8(this.sid, ack, text));
		return ack;
	}

	/** Sends BINARYDATA with the next ack number and returns that number. */
	long binary(byte[] payload) {
		long ack = nextAck();
		this.wire.send(CryoWire.binary(this.sid, ack, payload));
		return ack;
	}

	/** Sends TX_FLOW (Cryo v1 only: CAMP has none) and returns its ack. */
	long flow(int behaviour) {
		assertThat(this.kind.isCamp()).as("CAMP has no TX_FLOW").isFalse();
		long ack = nextAck();
		this.wire.send(CryoWire.txFlow(this.sid, ack, behaviour));
		return ack;
	}

	// ------------------------------------------------------------------ receiving

	void awaitAck(long ack) {
		expect((frame) -> frame.isAck(ack), "ACK(" + ack + ")");
	}

	/** The next UTF8DATA whose text starts with the prefix. */
	String awaitText(String prefix) {
		return expect((frame) -> frame.is(CryoWire.UTF8DATA) && frame.text().startsWith(prefix),
				"UTF8DATA starting with '" + prefix + "'")
			.text();
	}

	Frame awaitBinary() {
		return expect((frame) -> frame.is(CryoWire.BINARYDATA), "BINARYDATA");
	}

	Frame awaitError() {
		return expect((frame) -> frame.is(CryoWire.ERROR), "ERROR");
	}

	/** Sends a text and expects its ACK and the sample's echo, byte for byte. */
	Frame echo(String text) {
		long ack = text(text);
		Frame echo = expect((frame) -> frame.is(CryoWire.UTF8DATA) && frame.text().equals(text),
				"the echo of '" + abbreviate(text) + "'");
		awaitAck(ack);
		assertThat(echo.tail()).as("UTF-8 bytes of the echo").isEqualTo(text.getBytes(StandardCharsets.UTF_8));
		return echo;
	}

	/** Sends bytes and expects their ACK and the sample's echo; returns the echo. */
	Frame echo(byte[] payload) {
		long ack = binary(payload);
		Frame echo = awaitBinary();
		awaitAck(ack);
		assertThat(echo.length()).isEqualTo(13 + payload.length);
		assertThat(ConformanceSupport.sha256(echo.tail())).as("SHA-256 of the echo")
			.isEqualTo(ConformanceSupport.sha256(payload));
		return echo;
	}

	/** Takes the first frame in arrival order that matches, reading more as needed. */
	Frame expect(Predicate<Frame> match, String what) {
		return expect(match, what, WAIT);
	}

	Frame expect(Predicate<Frame> match, String what, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		while (true) {
			for (Iterator<Frame> frames = this.inbox.iterator(); frames.hasNext();) {
				Frame frame = frames.next();
				if (match.test(frame)) {
					frames.remove();
					return frame;
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				fail(this.kind + ": no " + what + " within " + wait.toMillis() + " ms; unclaimed frames: "
						+ summary(this.inbox) + (this.wire.isClosed() ? "; closed: " + this.wire.awaitClose() : ""));
			}
			pump(Duration.ofNanos(left));
		}
	}

	/** Reads for a while; no frame may arrive that matches. */
	void expectNone(Predicate<Frame> match, String what, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		long left;
		while ((left = deadline - System.nanoTime()) > 0) {
			pump(Duration.ofNanos(left));
		}
		assertThat(this.inbox.stream().filter(match).toList()).as("%s: %s", this.kind, what).isEmpty();
	}

	/** Takes what has arrived without waiting. */
	void drain() {
		while (pump(Duration.ZERO)) {
			// keep going
		}
	}

	/**
	 * Reads one frame: ACKs what the client ACKs (camp.md §5, cryo-v1.md §6.2, §16.2) and keeps
	 * the frame in the inbox. Pings are answered by the wire.
	 */
	private boolean pump(Duration wait) {
		Frame frame = this.wire.poll(wait.isZero() ? Duration.ZERO : Duration.ofMillis(Math.max(1, wait.toMillis())));
		if (frame == null) {
			return false;
		}
		int type = frame.type();
		boolean tracked = switch (type) {
			case CryoWire.UTF8DATA, CryoWire.BINARYDATA, CryoWire.TX_START, CryoWire.TX_FINISH, CryoWire.BYE -> true;
			// The 1.4 generation never ACKs ERROR (§16.2).
			case CryoWire.ERROR -> this.kind != Kind.CRYO_1_4;
			// Seed: TX_FLOW, TX_PULL; CAMP: TX_FETCH (0x03) and TX_CANCEL (0x04).
			case CryoWire.TX_FLOW, CryoWire.TX_PULL -> true;
			default -> false;
		};
		if (type == CryoWire.BYE) {
			// The server closes right behind its BYE: the ACK may find the connection gone.
			this.wire.sendIgnoringFailure(CryoWire.ack(this.sid, frame.ack()));
		}
		else if (tracked) {
			this.wire.send(CryoWire.ack(this.sid, frame.ack()));
		}
		if (type == CryoWire.TX_START && this.kind == Kind.CAMP_BROWSER) {
			// camp-client-browser's second, spurious ACK, carrying the txid (camp.md §5).
			this.wire.send(CryoWire.ack(this.sid, frame.txid()));
		}
		this.inbox.add(frame);
		return true;
	}

	// ------------------------------------------------------------------ the stream contract: uploads

	/**
	 * A push upload of {@code data} in chunks of {@code chunk} bytes, the way the client sends
	 * one; returns the reply the sample must give ({@code stream <name> <bytes> <sha256>}).
	 */
	String upload(String name, byte[] data, int chunk) {
		long txid = this.nextTxid++;
		Layout layout = this.kind.layout;
		long start = nextAck();
		switch (layout) {
			case SEED -> this.wire.send(CryoWire.txStart(this.sid, start, txid, name));
			case CRYO_PROTOCOL_1_4 -> this.wire.send(CryoWire.txStart14(this.sid, start, txid, -1, name));
			case CAMP -> this.wire.send(CryoWire.campTxStart(this.sid, start, txid, CryoWire.UNKNOWN_SIZE,
					CryoWire.PUSH, name));
		}
		if (this.kind != Kind.CRYO_1_4) {
			// The 1.4 generation sends its chunks at once; the others wait for the ACK of TX_START.
			awaitAck(start);
		}
		long seq = 0;
		for (int from = 0; from < data.length; from += chunk) {
			int length = Math.min(chunk, data.length - from);
			byte[] frame = switch (layout) {
				case SEED -> CryoWire.txChunk(this.sid, txid, Arrays.copyOfRange(data, from, from + length));
				case CRYO_PROTOCOL_1_4 -> CryoWire.txChunk14(this.sid, txid, seq, data, from, length);
				// camp-client-browser writes each chunk's end offset, the others its start (camp.md §7.3).
				case CAMP -> CryoWire.campTxChunk(this.sid, txid,
						(this.kind == Kind.CAMP_BROWSER) ? from + length : from, data, from, length);
			};
			this.wire.send(frame);
			seq++;
			drain();
		}
		long finish = nextAck();
		this.wire.send(CryoWire.ackAndTxid(this.sid, CryoWire.TX_FINISH, finish, txid));
		if (this.kind == Kind.CRYO_1_4) {
			awaitAck(start);
		}
		awaitAck(finish);
		return "stream " + name + " " + data.length + " " + ConformanceSupport.sha256(data);
	}

	/** The ranges the server fetched of a pull upload, in order. */
	record Range(long start, long end) {
	}

	/**
	 * A CAMP upload offered in pull mode (camp.md §7.2): TX_START with the size and TX_PULL; the
	 * server fetches it with TX_FETCH, one window at a time (camp.md §8 rule 3), each answered
	 * with chunks of correct start offsets, then TX_FINISH once a fetch reached the size. Returns
	 * the fetched ranges.
	 */
	List<Range> pullUpload(String name, byte[] data) {
		assertThat(this.kind.isCamp()).as("pull uploads are CAMP's").isTrue();
		long txid = this.nextTxid++;
		long start = nextAck();
		this.wire.send(CryoWire.campTxStart(this.sid, start, txid, data.length, CryoWire.PULL, name));
		awaitAck(start);
		List<Range> ranges = new ArrayList<>();
		long expectedStart = 0;
		while (true) {
			Frame fetch = expect((frame) -> frame.is(CryoWire.CAMP_TX_FETCH) && frame.txid() == txid,
					"TX_FETCH of txid " + txid + " from " + expectedStart);
			Range range = new Range(fetch.rangeStart(), fetch.rangeEnd());
			ranges.add(range);
			assertThat(range.start()).as("windows in ascending order, each where the last ended (%s)", ranges)
				.isEqualTo(expectedStart);
			assertThat(range.end()).as("a window of %s", ranges).isGreaterThan(range.start());
			// One TX_FETCH outstanding: the next comes only once this window is complete.
			expectNone((frame) -> frame.is(CryoWire.CAMP_TX_FETCH), "a second TX_FETCH while one is outstanding",
					Duration.ofMillis(100));
			long end = Math.min(range.end(), data.length);
			for (long from = range.start(); from < end; from += CHUNK) {
				int length = (int) Math.min(CHUNK, end - from);
				this.wire.send(CryoWire.campTxChunk(this.sid, txid, from, data, (int) from, length));
			}
			expectedStart = end;
			if (range.end() >= data.length) {
				break;
			}
		}
		long finish = nextAck();
		this.wire.send(CryoWire.ackAndTxid(this.sid, CryoWire.TX_FINISH, finish, txid));
		awaitAck(finish);
		return ranges;
	}

	// ------------------------------------------------------------------ the stream contract: downloads

	/** A transaction the server sent, as received. */
	record Download(Frame start, List<Frame> chunks, byte[] data) {

		long txid() {
			return this.start.txid();
		}

	}

	/**
	 * Asks for {@code download <size> <name>} and receives the transaction the server pushes,
	 * checking its layout: seed TX_START and chunks; 1.4 TX_START with size −1 and chunks with
	 * seq 0, 1, 2 …; CAMP TX_START with size −1, TX_PUSH and txid = ack, chunks with correct
	 * start offsets. Every byte is i mod 251.
	 */
	Download download(String name, long size) {
		long command = text("download " + size + " " + name);
		awaitAck(command);
		Frame start = awaitStart(name);
		if (this.kind.layout != Layout.SEED) {
			assertThat(start.startSize(this.kind.layout)).as("size in the pushed TX_START").isEqualTo(-1);
		}
		if (this.kind.isCamp()) {
			assertThat(start.campBehaviour()).as("behaviour").isEqualTo(CryoWire.PUSH);
		}
		Download download = receive(start, size);
		assertThat(awaitText("download ")).isEqualTo("download " + size + " " + name);
		return download;
	}

	/** The TX_START of the server's transaction with this name, in the client's layout. */
	Frame awaitStart(String name) {
		Layout layout = this.kind.layout;
		return expect((frame) -> frame.is(CryoWire.TX_START) && frame.length() >= Frame.nameOffset(layout)
				&& frame.startName(layout).equals(name), "TX_START '" + name + "'");
	}

	/**
	 * Receives chunks of a pushed transaction up to TX_FINISH and checks them: exactly
	 * {@code size} bytes of the pattern, 1.4 seqs counting from 0, CAMP offsets at each chunk's
	 * start, payloads within the dialect's limit.
	 */
	Download receive(Frame start, long size) {
		long txid = start.txid();
		Layout layout = this.kind.layout;
		List<Frame> chunks = new ArrayList<>();
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		while (true) {
			Frame frame = nextOf(txid);
			if (frame.is(CryoWire.TX_FINISH)) {
				break;
			}
			long position = frame.chunkPosition(layout);
			if (layout == Layout.CRYO_PROTOCOL_1_4) {
				assertThat(position).as("seq of chunk %d (cryo-v1.md §10.5)", chunks.size()).isEqualTo(chunks.size());
			}
			if (layout == Layout.CAMP) {
				assertThat(position).as("offset of chunk %d (camp.md §8 rule 4)", chunks.size()).isEqualTo(data.size());
			}
			assertThat(frame.chunkLength(layout)).as("chunk payload").isBetween(1, CHUNK);
			data.writeBytes(frame.chunkPayload(layout));
			chunks.add(frame);
		}
		assertThat((long) data.size()).as("bytes of the transaction").isEqualTo(size);
		assertPattern(data.toByteArray(), 0);
		return new Download(start, chunks, data.toByteArray());
	}

	/** The next TX_CHUNK or TX_FINISH of a transaction the server started. */
	Frame nextOf(long txid) {
		return expect((frame) -> isDataOf(frame, txid), "TX_CHUNK/TX_FINISH of txid " + txid);
	}

	static boolean isDataOf(Frame frame, long txid) {
		return (frame.is(CryoWire.TX_CHUNK) && frame.ack() == txid)
				|| (frame.is(CryoWire.TX_FINISH) && frame.length() == 17 && frame.txid() == txid);
	}

	/**
	 * Receives the chunks that answer one range request: exactly the bytes [start, min(end,
	 * size)), contiguous, each chunk inside the range (CAMP: with its start offset). Returns them.
	 */
	byte[] receiveRange(long txid, long start, long end, long size) {
		Layout layout = this.kind.layout;
		long stop = Math.min(end, size);
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		while (start + data.size() < stop) {
			Frame frame = nextOf(txid);
			if (!frame.is(CryoWire.TX_CHUNK)) {
				fail(this.kind + ": TX_FINISH after " + data.size() + " of the bytes [" + start + ", " + stop + ")");
			}
			if (layout == Layout.CAMP) {
				assertThat(frame.chunkPosition(layout)).as("offset of a chunk answering [%d, %d)", start, end)
					.isEqualTo(start + data.size());
			}
			assertThat(frame.chunkLength(layout)).as("chunk payload").isBetween(1, CHUNK);
			data.writeBytes(frame.chunkPayload(layout));
		}
		assertThat((long) data.size()).as("bytes answering [%d, %d) (a chunk must not go beyond the range)", start, end)
			.isEqualTo(stop - start);
		assertPattern(data.toByteArray(), start);
		return data.toByteArray();
	}

	/** Sends a seed TX_PULL (§10.4) and returns its ack. */
	long pull(long txid, long start, long end) {
		long ack = nextAck();
		this.wire.send(CryoWire.txPull(this.sid, ack, txid, start, end));
		return ack;
	}

	/** Sends a CAMP TX_FETCH (camp.md §4) and returns its ack. */
	long fetch(long txid, long start, long end) {
		long ack = nextAck();
		this.wire.send(CryoWire.campTxFetch(this.sid, ack, txid, start, end));
		return ack;
	}

	/** Sends a CAMP TX_CANCEL (camp.md §4) and returns its ack. */
	long cancel(long txid) {
		long ack = nextAck();
		this.wire.send(CryoWire.campTxCancel(this.sid, ack, txid));
		return ack;
	}

	/**
	 * A pull download in the client's way: Cryo v1 asks for pull mode with TX_FLOW and sends
	 * {@code download-pull}, then requests the windows with TX_PULL; CAMP sends
	 * {@code download-pull} and fetches the windows with TX_FETCH from the announced size. Nothing
	 * arrives before the first request (§10.4 sender rule 1; camp.md §7.2); TX_FINISH follows the
	 * window that reaches the end.
	 */
	Download pullDownload(String name, long size, long window) {
		Layout layout = this.kind.layout;
		assertThat(layout).as("the 1.4 generation cannot pull").isNotEqualTo(Layout.CRYO_PROTOCOL_1_4);
		if (layout == Layout.SEED) {
			awaitAck(flow(CryoWire.PULL));
		}
		long command = text("download-pull " + size + " " + name);
		awaitAck(command);
		Frame start = awaitStart(name);
		long txid = start.txid();
		if (layout == Layout.CAMP) {
			assertThat(start.campBehaviour()).as("behaviour of the pull TX_START").isEqualTo(CryoWire.PULL);
			assertThat(start.startSize(layout)).as("size announced in the pull TX_START").isEqualTo(size);
		}
		expectNone((frame) -> isDataOf(frame, txid), "data before the first request", QUIET);
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		for (long from = 0; from < size || from == 0; from += window) {
			long to = from + window;
			awaitAck((layout == Layout.CAMP) ? fetch(txid, from, to) : pull(txid, from, to));
			data.writeBytes(receiveRange(txid, from, to, size));
			if (to >= size) {
				break;
			}
			expectNone((frame) -> isDataOf(frame, txid), "data beyond the requested window", Duration.ofMillis(50));
		}
		assertThat(nextOf(txid).type()).as("after the last window").isEqualTo(CryoWire.TX_FINISH);
		assertThat(awaitText("download-pull ")).isEqualTo("download-pull " + size + " " + name);
		return new Download(start, List.of(), data.toByteArray());
	}

	// ------------------------------------------------------------------ closing

	/** BYE: the server ACKs it and closes with 4000 and the BYE's reason (§8.1). */
	void bye(String reason) {
		long ack = nextAck();
		this.wire.sendIgnoringOutcome(CryoWire.bye(this.sid, ack, reason));
		Close close = this.wire.awaitClose();
		assertThat(this.wire.received()).as("ACK of the BYE").anyMatch((frame) -> frame.isAck(ack));
		assertThat(close.code()).as("close code after BYE").isEqualTo(4000);
		assertThat(close.reason()).as("close reason after BYE").isEqualTo(reason);
	}

	/**
	 * The published clients' {@code Close()}: a WebSocket close 4000 "Client finished." without
	 * BYE (camp.md §6, cryo-v1.md §16.2); the server answers the close with the same code.
	 * <p>
	 * The JDK client reports 1006 instead now and then although the server's close frame did
	 * arrive: when the end of the TCP stream follows the close frame closely, the JDK's handling of
	 * the end overwrites the status code it had just received before the listener is called (a raw
	 * socket client sees the server answer every close with its close frame). Callers check the
	 * server's side of the close as well.
	 */
	void closeAsClient() {
		this.wire.sendClose(4000, "Client finished.");
		Close close = this.wire.awaitClose();
		assertThat(close.code()).as("the server's answer to the close").isIn(4000, 1006);
	}

	@Override
	public void close() {
		this.wire.close();
	}

	// ------------------------------------------------------------------ helpers

	/** Bytes [offset, offset + length) of the sample's download pattern, byte i being i mod 251. */
	static byte[] pattern(long offset, int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) ((offset + i) % 251);
		}
		return bytes;
	}

	static void assertPattern(byte[] data, long offset) {
		for (int i = 0; i < data.length; i++) {
			if (data[i] != (byte) ((offset + i) % 251)) {
				fail("Byte " + (offset + i) + " is " + (data[i] & 0xFF) + ", expected " + ((offset + i) % 251));
			}
		}
	}

	static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 40) ? text : text.substring(0, 40) + "…";
	}

	private static String summary(List<Frame> frames) {
		List<String> summary = new ArrayList<>();
		for (Frame frame : frames) {
			summary.add((frame.length() > 200) ? CryoWire.typeName(frame.type()) + "(" + frame.length() + " bytes)"
					: frame.toString());
			if (summary.size() == 20) {
				summary.add("… " + (frames.size() - 20) + " more");
				break;
			}
		}
		return summary.toString();
	}

}
