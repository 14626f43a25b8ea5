package dev.cryo.redis;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The envelope messages travel in between nodes: every envelope kind, selector kind and message
 * kind comes back equal, and bytes that are not an envelope (including a Java serialization
 * stream), or that break a limit, are refused without creating anything they name.
 */
class ClusterEnvelopeTests {

	private static final int MAX = 1024;

	private static final UUID SOME_UUID = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");

	@Test
	void everySelectorKindAndAttributeValueTypeSurvivesTheRoundTrip() {
		List<SessionSelector> selectors = List.of(SessionSelector.all(), SessionSelector.id(42),
				SessionSelector.id(-1L), SessionSelector.id(SessionId.of(SOME_UUID)), SessionSelector.user("alice"),
				SessionSelector.user(""), SessionSelector.group("chat é"), SessionSelector.attribute("room", "lobby"),
				SessionSelector.attribute("level", 7L), SessionSelector.attribute("seat", 3),
				SessionSelector.attribute("admin", true), SessionSelector.attribute("score", 1.5),
				SessionSelector.attribute("tenant", SOME_UUID),
				SessionSelector.group("chat").except(SessionId.of(9)).except(SessionId.of(SOME_UUID)));
		for (SessionSelector selector : selectors) {
			ClusterEnvelope envelope = multicast("node-a", selector, new ClusterMessage.Utf8("hi"));
			ClusterEnvelope.Multicast decoded = (ClusterEnvelope.Multicast) roundTrip(envelope);
			assertThat(decoded).as(selector.toString()).isEqualTo(envelope);
			assertThat(decoded.originNodeId()).isEqualTo("node-a");
		}
	}

	@Test
	void utf8AndBinaryMessagesSurviveTheRoundTrip() {
		ClusterEnvelope.Multicast text = (ClusterEnvelope.Multicast) roundTrip(
				multicast("n", SessionSelector.all(), new ClusterMessage.Utf8("grüße \uD83D\uDE00")));
		assertThat(text.message()).isEqualTo(new ClusterMessage.Utf8("grüße \uD83D\uDE00"));
		ByteBuffer payload = ByteBuffer.wrap(new byte[] { 9, 1, 2, 3, 9 }, 1, 3);
		ClusterEnvelope.Direct binary = (ClusterEnvelope.Direct) roundTrip(
				new ClusterEnvelope.Direct("n", 7, SessionId.of(SOME_UUID), new ClusterMessage.Binary(payload)));
		assertThat(binary.sessionId()).isEqualTo(SessionId.of(SOME_UUID));
		assertThat(binary.messageId()).isEqualTo(7);
		ByteBuffer decoded = ((ClusterMessage.Binary) binary.message()).payload();
		byte[] bytes = new byte[decoded.remaining()];
		decoded.get(bytes);
		assertThat(bytes).containsExactly(1, 2, 3);
	}

	@Test
	void attributeValueWithoutAnEncodingIsRefusedAtTheSender() {
		ClusterEnvelope envelope = multicast("n", SessionSelector.attribute("day", LocalDate.EPOCH),
				new ClusterMessage.Utf8("x"));
		assertThatIllegalArgumentException().isThrownBy(() -> envelope.encode(MAX))
			.withMessageContaining("java.time.LocalDate")
			.withMessageContaining("cannot travel between nodes");
	}

	@Test
	void javaSerializationStreamIsRefusedWithoutDeserializingAnything() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(SessionSelector.attribute("day", LocalDate.EPOCH));
		}
		// 0xAC 0xED, the stream magic, is no envelope version: nothing past it is read.
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(bytes.toByteArray(), MAX))
			.withMessageContaining("Unknown envelope version");
	}

	@Test
	void unknownTagsAreRefused() {
		byte[] valid = multicast("n", SessionSelector.attribute("k", "v"), new ClusterMessage.Utf8("x")).encode(MAX);
		// version, kind at 1, origin (4 + 1 bytes), message id (8), selector tag at 15, name (4 + 1
		// bytes), value tag at 21
		byte[] kind = valid.clone();
		kind[1] = 42;
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(kind, MAX))
			.withMessageContaining("Unknown envelope kind 42");
		byte[] selectorTag = valid.clone();
		selectorTag[15] = 99;
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(selectorTag, MAX))
			.withMessageContaining("Unknown selector tag 99");
		byte[] valueTag = valid.clone();
		valueTag[21] = 77;
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(valueTag, MAX))
			.withMessageContaining("Unknown attribute value tag 77");
	}

	@Test
	void truncatedOrOverlongInputIsRefused() {
		for (ClusterEnvelope envelope : List.of(
				multicast("node", SessionSelector.user("bob"), new ClusterMessage.Utf8("hello")),
				new ClusterEnvelope.Report("node", 3, 5, 4, 1),
				new ClusterEnvelope.Topic("node", 4, "live.data", new byte[] { 1, 2 }))) {
			byte[] valid = envelope.encode(MAX);
			for (int length = 0; length < valid.length; length++) {
				byte[] truncated = Arrays.copyOf(valid, length);
				assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(truncated, MAX));
			}
			byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
			assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(trailing, MAX))
				.withMessageContaining("after the envelope");
		}
	}

	@Test
	void forgedLengthAllocatesNothingAndIsRefused() {
		ByteBuffer forged = ByteBuffer.allocate(6).put(ClusterEnvelope.VERSION).put((byte) 1).putInt(Integer.MAX_VALUE);
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(forged.array(), MAX))
			.withMessageContaining("exceeds");
	}

	@Test
	void deeplyNestedExceptIsRefused() {
		SessionSelector selector = SessionSelector.all();
		for (int i = 0; i <= ClusterEnvelope.MAX_SELECTOR_DEPTH; i++) {
			selector = selector.except(SessionId.of(i));
		}
		byte[] bytes = multicast("n", selector, new ClusterMessage.Utf8("x")).encode(MAX);
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(bytes, MAX))
			.withMessageContaining("nested deeper");
	}

	@Test
	void invalidUtf8IsRefused() {
		byte[] valid = multicast("n", SessionSelector.all(), new ClusterMessage.Utf8("ab")).encode(MAX);
		valid[valid.length - 1] = (byte) 0xFF;
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(valid, MAX))
			.withMessageContaining("Invalid UTF-8");
	}

	@Test
	void reportsAndTopicMessagesSurviveTheRoundTrip() {
		assertThat(roundTrip(new ClusterEnvelope.Report("node-b", Long.MAX_VALUE, 10, 7, 3)))
			.isEqualTo(new ClusterEnvelope.Report("node-b", Long.MAX_VALUE, 10, 7, 3));
		ClusterEnvelope.Topic topic = (ClusterEnvelope.Topic) roundTrip(
				new ClusterEnvelope.Topic("node-b", 5, "endpoint:multicast", new byte[] { 0, -1, 7 }));
		assertThat(topic.topic()).isEqualTo("endpoint:multicast");
		assertThat(topic.originNodeId()).isEqualTo("node-b");
		assertThat(topic.messageId()).isEqualTo(5);
		assertThat(topic.payload()).containsExactly(0, -1, 7);
	}

	@Test
	void payloadsLargerThanTheLimitAreRefusedAtTheSenderAndTheReceiver() {
		ClusterEnvelope big = new ClusterEnvelope.Topic("n", 1, "t", new byte[MAX + 1]);
		assertThatIllegalArgumentException().isThrownBy(() -> big.encode(MAX)).withMessageContaining("exceeds");
		byte[] encoded = big.encode(MAX + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(encoded, MAX))
			.withMessageContaining("exceeds the limit of " + MAX);
		ClusterEnvelope text = multicast("n", SessionSelector.all(), new ClusterMessage.Utf8("x".repeat(MAX + 1)));
		assertThatIllegalArgumentException().isThrownBy(() -> text.encode(MAX)).withMessageContaining("exceeds");
	}

	@Test
	void overlongOriginsSelectorNamesAndInvalidTopicsAreRefused() {
		byte[] longOrigin = multicast("n".repeat(201), SessionSelector.all(), new ClusterMessage.Utf8("x"))
			.encode(MAX);
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(longOrigin, MAX))
			.withMessageContaining("origin node id");
		byte[] longName = multicast("n", SessionSelector.group("g".repeat(ClusterEnvelope.MAX_STRING_BYTES)),
				new ClusterMessage.Utf8("x"))
			.encode(MAX);
		// The longest name passes; one byte more is refused on both sides.
		assertThat(ClusterEnvelope.decode(longName, MAX)).isNotNull();
		ClusterEnvelope tooLong = multicast("n", SessionSelector.group("g".repeat(ClusterEnvelope.MAX_STRING_BYTES + 1)),
				new ClusterMessage.Utf8("x"));
		assertThatIllegalArgumentException().isThrownBy(() -> tooLong.encode(MAX)).withMessageContaining("exceeds");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClusterEnvelope.Topic("n", 1, "bad topic", new byte[0]).encode(MAX));
		byte[] topic = new ClusterEnvelope.Topic("n", 1, "abc", new byte[0]).encode(MAX);
		// version, kind, origin (4 + 1), id (8), topic length (4) and "abc" from 18: a space is forged in.
		topic[19] = ' ';
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(topic, MAX));
	}

	@Test
	void inconsistentReportCountsAreRefused() {
		byte[] report = new ClusterEnvelope.Report("n", 1, 2, 1, 1).encode(MAX);
		// recipients at 15: one recipient cannot have one ACK and one failure.
		report[18] = 1;
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(report, MAX))
			.withMessageContaining("Inconsistent report counts");
	}

	private static ClusterEnvelope multicast(String origin, SessionSelector selector, ClusterMessage message) {
		return new ClusterEnvelope.Multicast(origin, 1, selector, message);
	}

	private static ClusterEnvelope roundTrip(ClusterEnvelope envelope) {
		return ClusterEnvelope.decode(envelope.encode(MAX), MAX);
	}

}
