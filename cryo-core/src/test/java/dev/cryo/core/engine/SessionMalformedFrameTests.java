package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.Utf8DataFrame;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Malformed and oversized messages (cryo-v1.md §4.5, §9) and the unchecked sid (§4.1). */
class SessionMalformedFrameTests {

	private final SessionFixture fixture = new SessionFixture();

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	@Test
	void malformedFrameIsAnsweredWithAnErrorNamingTheProblem() {
		ProtocolSession session = this.fixture.open();
		this.fixture.receive(message(0x77, 13, 5));
		// The ERROR takes our next ack number (1, after the ENDPOINT_INFO's 0) and is tracked.
		assertThat(this.fixture.transport.sent())
			.containsExactly(new ErrorFrame(SID, 1, "malformed frame: unknown type 0x77"));
		assertThat(session.pendingAcks()).isOne();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@ParameterizedTest
	@MethodSource("malformedMessages")
	void malformedFrameIsNeitherAckedNorDeliveredButAnsweredWithThePeerMessage(byte[] message) {
		String expected = catchThrowableOfType(CryoFrameException.class, () -> FrameCodec.decode(message))
			.peerMessage();
		this.fixture.open();
		this.fixture.receive(message);
		// Every message below carries ack 5 where an ack would be: no ACK 5 may go out.
		assertThat(this.fixture.transport.sent()).containsExactly(new ErrorFrame(SID, 1, expected));
		assertThat(this.fixture.log.events()).noneMatch((event) -> event.startsWith("on"));
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void errorTextIsThePeerMessageWithoutRuleAndOffset() {
		this.fixture.open();
		byte[] badPing = message(FrameType.PING_PONG.code(), 17, 5);
		System.arraycopy("pinG".getBytes(StandardCharsets.US_ASCII), 0, badPing, 13, 4);
		this.fixture.receive(badPing);
		assertThat(this.fixture.transport.sent(ErrorFrame.class)).extracting(ErrorFrame::message)
			.containsExactly("malformed frame: PING_PONG payload must be \"ping\" or \"pong\"");
	}

	@Test
	void malformedFrameBeforeReadyIsAnsweredToo() {
		this.fixture.start();
		this.fixture.receive(message(0x77, 13, 5));
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ENDPOINT_INFO, FrameType.ERROR);
	}

	@Test
	void nthMalformedFrameClosesWith4001InsteadOfAnError() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), Duration.ZERO, 3));
		ProtocolSession session = this.fixture.open();
		this.fixture.receive(message(0x77, 13, 5));
		this.fixture.receive(message(0x78, 13, 6));
		assertThat(this.fixture.transport.isClosed()).isFalse();
		this.fixture.receive(message(0x79, 13, 7));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4001, "Too many malformed frames."));
		// Two ERRORs for the first two; the third is answered by the close alone, without BYE.
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ERROR, FrameType.ERROR);
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
	}

	@Test
	void wellFormedFramesInBetweenDoNotResetTheMalformedCount() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), Duration.ZERO, 2));
		this.fixture.open();
		this.fixture.receive(message(0x77, 13, 5));
		this.fixture.receive(Utf8DataFrame.of(SID, 6, "fine"));
		this.fixture.receive(message(0x77, 13, 7));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4001, "Too many malformed frames."));
	}

	@Test
	void limitOfOneClosesOnTheFirstMalformedFrame() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), Duration.ZERO, 1));
		this.fixture.open();
		this.fixture.receive(message(0x77, 13, 5));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4001, "Too many malformed frames."));
		assertThat(this.fixture.transport.sent()).isEmpty();
	}

	@Test
	void oversizedPayloadInsideALegalMessageClosesWith1009() {
		this.fixture.open();
		// 16 777 230 bytes: below the largest legal message, but the payload is 16 MiB + 1 (§9).
		byte[] message = message(FrameType.UTF8DATA.code(), 13 + FrameCodec.MAX_PAYLOAD + 1, 5);
		assertThat(message.length).isLessThan(FrameCodec.MAX_MESSAGE_LENGTH);
		this.fixture.receive(message);
		assertThat(this.fixture.transport.closes()).extracting(CloseCall::code).containsExactly(1009);
		// Not malformed: no ERROR, and not ACKed nor delivered.
		assertThat(this.fixture.transport.sent()).isEmpty();
		assertThat(this.fixture.handler.texts()).isEmpty();
	}

	@Test
	void payloadOfExactlySixteenMebibytesIsDelivered() {
		this.fixture.open();
		this.fixture.receive(message(FrameType.BINARYDATA.code(), 13 + FrameCodec.MAX_PAYLOAD, 5));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 5));
		assertThat(this.fixture.handler.binaries()).singleElement()
			.satisfies((bytes) -> assertThat(bytes).hasSize(FrameCodec.MAX_PAYLOAD));
	}

	@Test
	void frameWithForeignSidIsAcceptedAndAckedWithOurSid() {
		long foreign = 0xFFFF_FFFF_FFFF_FFFFL;
		this.fixture.open();
		this.fixture.receive(Utf8DataFrame.of(SessionId.of(foreign), 5, "from elsewhere"));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 5));
		assertThat(this.fixture.handler.texts()).containsExactly("from elsewhere");
	}

	@Test
	void receivedBytesCountMalformedMessagesToo() {
		ProtocolSession session = this.fixture.open();
		long before = session.statistics().bytesReceived();
		this.fixture.receive(message(0x77, 20, 5));
		this.fixture.receive(Utf8DataFrame.of(SID, 6, "abc"));
		// §12: the bytes of all WebSocket messages received.
		assertThat(session.statistics().bytesReceived() - before).isEqualTo(20 + 16);
	}

	static Stream<byte[]> malformedMessages() {
		byte[] badFlow = message(FrameType.TX_FLOW.code(), 14, 5);
		badFlow[13] = 2;
		byte[] longPing = message(FrameType.PING_PONG.code(), 18, 5);
		System.arraycopy("ping".getBytes(StandardCharsets.US_ASCII), 0, longPing, 13, 4);
		return Stream.of(new byte[5], Arrays.copyOf(message(FrameType.UTF8DATA.code(), 13, 5), 12),
				message(0x06, 17, 5), message(0xF8, 13, 5), message(FrameType.ENDPOINT_INFO.code(), 24, 5),
				message(FrameType.TX_PULL.code(), 25, 5), badFlow, longPing);
	}

	/** A message of the given length with our sid, a type byte and an ack; the rest is zero. */
	static byte[] message(int type, int length, int ack) {
		ByteBuffer message = ByteBuffer.allocate(length);
		message.putLong(SID.asLong()).put((byte) type).putInt(ack);
		return message.array();
	}

}
