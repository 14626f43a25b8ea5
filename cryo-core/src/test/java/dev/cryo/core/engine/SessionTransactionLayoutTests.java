package dev.cryo.core.engine;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.core.transaction.StreamSource;
import dev.cryo.core.transaction.TransactionOptions;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The two Cryo v1 transaction layouts of a session (cryo-v1.md §10.5): the switch to
 * cryo-protocol 1.4 when a peer uploads in it (rule 3) and what a 1.4 session sends and accepts,
 * byte for byte. Transactions run on the test's thread, so every frame is on the wire when the
 * call that caused it returns.
 */
class SessionTransactionLayoutTests {

	private static final TransactionLayout V14 = TransactionLayout.CRYO_PROTOCOL_1_4;

	@TempDir
	Path temporary;

	private final SessionFixture fixture = new SessionFixture().streamExecutor(Runnable::run);

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	private SessionFixture withChunksOf(int chunkSize) {
		return withLimits(chunkSize, 8);
	}

	private SessionFixture withLimits(int chunkSize, int maxConcurrent) {
		return this.fixture.options(SessionFixture
			.withTransactions(new TransactionOptions(chunkSize, 1 << 20, 0, maxConcurrent, 1 << 20, this.temporary)));
	}

	@Test
	void peerUploadInThe14LayoutSwitchesTheSessionForLaterTransactionsBothWays() throws Exception {
		ProtocolSession session = withChunksOf(4).open();
		assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.SEED);
		this.fixture.receive(new TxStartFrame(SID, 1, 9, "up", TxStartFrame.UNKNOWN_SIZE, null, V14));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 1));
		assertThat(session.transactionLayout()).isEqualTo(V14);

		// The peer's next transaction is read in 1.4 although its size is not FF FF FF FF.
		this.fixture.receive(new TxStartFrame(SID, 2, 10, "sized", 6, null, V14));
		this.fixture.receive(chunk(10, 0, "abc"));
		this.fixture.receive(chunk(10, 1, "def"));
		this.fixture.receive(new TxFinishFrame(SID, 3, 10));
		IncomingStream sized = this.fixture.handler.streams().get(1);
		assertThat(sized.name()).isEqualTo("sized");
		assertThat(sized.announcedSize()).isEqualTo(6);
		assertThat(sized.inputStream().readAllBytes()).isEqualTo(bytes("abcdef"));

		// Ours: TX_START with size FF FF FF FF at 17 and the name at 21, chunks numbered 0, 1, 2.
		this.fixture.transport.clear();
		this.fixture.transport.decodeIn(V14);
		CompletableFuture<Void> sent = session.stream(source("0123456789"), "down");
		byte[] start = this.fixture.transport.messages().get(0);
		assertThat(start).hasSize(25);
		assertThat(start[8]).isEqualTo((byte) 0x00);
		assertThat(Arrays.copyOfRange(start, 17, 21)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF);
		assertThat(Arrays.copyOfRange(start, 21, 25)).isEqualTo(bytes("down"));
		TxStartFrame ours = this.fixture.transport.sent(TxStartFrame.class).get(0);
		this.fixture.receive(new AckFrame(SID, ours.ack()));
		List<TxChunkFrame> chunks = this.fixture.transport.sent(TxChunkFrame.class);
		assertThat(chunks).extracting(TxChunkFrame::position).containsExactly(0L, 1L, 2L);
		assertThat(chunks).extracting(TxChunkFrame::layout).containsOnly(V14);
		assertThat(chunks).extracting(TxChunkFrame::payloadLength).containsExactly(4, 4, 2);
		assertThat(messagesOfType(0x01)).extracting((message) -> message.length).containsExactly(21, 21, 19);
		TxFinishFrame finish = this.fixture.transport.sent(TxFinishFrame.class).get(0);
		this.fixture.receive(new AckFrame(SID, finish.ack()));
		assertThat(sent).isCompleted();
	}

	@Test
	void transactionsRunningInTheSeedLayoutKeepItAfterTheSwitch() throws Exception {
		ProtocolSession session = withChunksOf(4).open();
		// The peer's seed transaction, and ours waiting for the ACK of its TX_START.
		this.fixture.receive(new TxStartFrame(SID, 1, 1, "old"));
		this.fixture.receive(new TxChunkFrame(SID, 1, ByteBuffer.wrap(bytes("abcd"))));
		CompletableFuture<Void> mine = session.stream(source("123456"), "mine");
		TxStartFrame ourStart = this.fixture.transport.sent(TxStartFrame.class).get(0);
		assertThat(ourStart.layout()).isEqualTo(TransactionLayout.SEED);

		this.fixture.receive(new TxStartFrame(SID, 2, 2, "new", TxStartFrame.UNKNOWN_SIZE, null, V14));
		assertThat(session.transactionLayout()).isEqualTo(V14);

		// Decoded in 1.4 by the session, the seed chunk is read again in its transaction's layout.
		this.fixture.receive(new TxChunkFrame(SID, 1, ByteBuffer.wrap(bytes("efgh"))));
		this.fixture.receive(new TxFinishFrame(SID, 3, 1));
		IncomingStream old = this.fixture.handler.streams().get(0);
		assertThat(old.inputStream().readAllBytes()).isEqualTo(bytes("abcdefgh"));

		// Our running transaction goes on in the seed layout: payload right after the txid.
		this.fixture.transport.clear();
		this.fixture.receive(new AckFrame(SID, ourStart.ack()));
		assertThat(messagesOfType(0x01)).extracting((message) -> message.length).containsExactly(13 + 4, 13 + 2);
		assertThat(Arrays.copyOfRange(messagesOfType(0x01).get(0), 13, 17)).isEqualTo(bytes("1234"));
		this.fixture.receive(new AckFrame(SID, this.fixture.transport.sent(TxFinishFrame.class).get(0).ack()));
		assertThat(mine).isCompleted();

		// A transaction started now uses the new layout.
		this.fixture.transport.clear();
		session.stream(source("x"), "later");
		assertThat(this.fixture.transport.messages().get(0)).hasSize(21 + 5);
	}

	@Test
	void flowRequestOfA14PeerIsAckedAndOurTransactionsStayPush() {
		ProtocolSession session = withChunksOf(4).start();
		this.fixture.receive(Utf8DataFrame.of(SID, 0, "hello"));
		this.fixture.transport.decodeIn(V14);
		this.fixture.receive(new TxFlowFrame(SID, 1, FlowBehaviour.PULL));
		assertThat(this.fixture.transport.sent()).endsWith(new AckFrame(SID, 1));

		this.fixture.transport.clear();
		CompletableFuture<Void> sent = session.stream(source("abc"), "pushed");
		TxStartFrame start = this.fixture.transport.sent(TxStartFrame.class).get(0);
		this.fixture.receive(new AckFrame(SID, start.ack()));
		// Chunks follow the ACK without any fetch, then TX_FINISH.
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.TX_START, FrameType.TX_CHUNK,
				FrameType.TX_FINISH);
		this.fixture.receive(new AckFrame(SID, this.fixture.transport.sent(TxFinishFrame.class).get(0).ack()));
		assertThat(sent).isCompleted();
		assertThat(session.stream(source("abc"), "pulled", FlowBehaviour.PULL)).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void chunkIndexFetchIsAckedAndNothingIsSent() {
		ProtocolSession session = withChunksOf(4).start();
		this.fixture.receive(Utf8DataFrame.of(SID, 0, "hello"));
		session.stream(source("abcdef"), "running");
		this.fixture.transport.clear();
		// For a transaction of ours that is waiting for its TX_START ACK, and for an unknown one.
		this.fixture.receive(new TxPullFrame(SID, 5, 0, 0, 2, V14));
		this.fixture.receive(new TxPullFrame(SID, 6, 77, 0, 1, V14));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 5), new AckFrame(SID, 6));
	}

	@Test
	void uploadInThe14LayoutArrivesByteExactWhateverItsSequenceNumbers() throws Exception {
		this.fixture.start();
		this.fixture.receive(new TxStartFrame(SID, 0, 3, "upload", TxStartFrame.UNKNOWN_SIZE, null, V14));
		byte[] first = new byte[70_000];
		Arrays.fill(first, (byte) 1);
		// Sequence numbers out of order, repeated and at the top of the range: only arrival order counts.
		this.fixture.receive(chunk(3, 7, first));
		this.fixture.receive(chunk(3, 0xFFFF_FFFFL, bytes("second")));
		this.fixture.receive(chunk(3, 7, new byte[0]));
		this.fixture.receive(chunk(3, 2, bytes("third")));
		this.fixture.receive(new TxFinishFrame(SID, 1, 3));
		IncomingStream stream = this.fixture.handler.streams().get(0);
		ByteBuffer expected = ByteBuffer.allocate(first.length + 11).put(first).put(bytes("second")).put(bytes("third"));
		assertThat(stream.inputStream().readAllBytes()).isEqualTo(expected.array());
	}

	@Test
	void configuredLayoutAppliesFromTheStartToAPeerThatSentEndpointInfo() throws Exception {
		this.fixture.options(SessionFixture
			.withTransactions(new TransactionOptions(4, 1 << 20, 0, 8, 1 << 20, this.temporary))
			.withTransactionLayout(V14));
		ProtocolSession session = this.fixture.open();
		assertThat(session.transactionLayout()).isEqualTo(V14);
		this.fixture.transport.decodeIn(V14);
		session.stream(source("ab"), "down");
		assertThat(this.fixture.transport.sent(TxStartFrame.class)).singleElement()
			.satisfies((start) -> assertThat(start.layout()).isEqualTo(V14));
		assertThat(Arrays.copyOfRange(this.fixture.transport.messages().get(0), 17, 21)).containsExactly(0xFF, 0xFF,
				0xFF, 0xFF);
		// A 1.4 TX_START of known size is read as one.
		this.fixture.receive(new TxStartFrame(SID, 1, 4, "up", 3, null, V14));
		assertThat(this.fixture.handler.streams()).singleElement()
			.satisfies((stream) -> assertThat(stream.name()).isEqualTo("up"));
	}

	@Test
	void layoutOptionIsSeedByDefaultAndNeverCamp() {
		assertThat(SessionOptions.DEFAULTS.transactionLayout()).isEqualTo(TransactionLayout.SEED);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SessionOptions.DEFAULTS.withTransactionLayout(TransactionLayout.CAMP));
	}

	@Test
	void malformedFramesOfA14PeerAreCountedButNotAnswered() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), Duration.ZERO, 2));
		this.fixture.start();
		this.fixture.receive(Utf8DataFrame.of(SID, 0, "hello"));
		this.fixture.transport.clear();
		// A 1.4 chunk is at least 17 bytes.
		this.fixture.receive(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0, 0, 0, 1, 0, 0 });
		assertThat(this.fixture.transport.sent()).isEmpty();
		assertThat(this.fixture.transport.isClosed()).isFalse();
		this.fixture.receive(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, 0x77, 0, 0, 0, 1 });
		assertThat(this.fixture.transport.sent()).isEmpty();
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4001, "Too many malformed frames."));
	}

	@Test
	void refusedTransactionOfA14PeerIsAckedWithoutError() {
		withLimits(4, 1).start();
		this.fixture.receive(new TxStartFrame(SID, 0, 1, "one", TxStartFrame.UNKNOWN_SIZE, null, V14));
		this.fixture.receive(new TxStartFrame(SID, 1, 2, "two", TxStartFrame.UNKNOWN_SIZE, null, V14));
		// Its chunks are then dropped as unknown; an ERROR would be taken for the refusal of a frame of its own.
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ENDPOINT_INFO, FrameType.ACK,
				FrameType.ACK);
		assertThat(this.fixture.handler.streams()).extracting(IncomingStream::name).containsExactly("one");
	}

	@Test
	void flowIsNeverRequestedFromA14Peer() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(Utf8DataFrame.of(SID, 0, "hello"));
		assertThat(session.setIncomingFlow(FlowBehaviour.PULL)).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(this.fixture.transport.sentTypes()).doesNotContain(FrameType.TX_FLOW);
	}

	@ParameterizedTest
	@EnumSource(names = { "SEED", "CRYO_PROTOCOL_1_4" })
	void cancelOfAnIncomingStreamIsOnlyLocalInCryoV1(TransactionLayout layout) {
		this.fixture.options(SessionFixture.QUIET.withTransactionLayout(layout)).open();
		this.fixture.receive(new TxStartFrame(SID, 1, 4, "up", TxStartFrame.UNKNOWN_SIZE, null, layout));
		IncomingStream stream = this.fixture.handler.streams().get(0);
		assertThat(stream.cancel()).isCompleted();
		assertThat(stream.completion()).isCompletedExceptionally();
		// Cryo v1 only receives TX_CANCEL (§4.3): the peer's further chunks are dropped as unknown.
		this.fixture.receive(new TxChunkFrame(SID, 4, ByteBuffer.wrap(bytes("late")), 0, layout));
		this.fixture.receive(new TxFinishFrame(SID, 2, 4));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 1), new AckFrame(SID, 2));
	}

	private List<byte[]> messagesOfType(int code) {
		return this.fixture.transport.messages().stream().filter((message) -> message[8] == (byte) code).toList();
	}

	private static TxChunkFrame chunk(int txid, long sequence, String text) {
		return chunk(txid, sequence, bytes(text));
	}

	private static TxChunkFrame chunk(int txid, long sequence, byte[] payload) {
		return new TxChunkFrame(SID, txid, ByteBuffer.wrap(payload), sequence, V14);
	}

	private static StreamSource source(String text) {
		return StreamSource.of(new ByteArrayInputStream(bytes(text)));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
