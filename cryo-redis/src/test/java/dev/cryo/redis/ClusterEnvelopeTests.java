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
 * The envelope a multicast travels in between nodes: every selector kind and message kind comes
 * back equal, and bytes that are not an envelope (including a Java serialization stream) are
 * refused without creating anything they name.
 */
class ClusterEnvelopeTests {

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
			ClusterEnvelope envelope = new ClusterEnvelope("node-a", selector, new ClusterMessage.Utf8("hi"));
			ClusterEnvelope decoded = ClusterEnvelope.decode(envelope.encode());
			assertThat(decoded.selector()).as(selector.toString()).isEqualTo(selector);
			assertThat(decoded.originNodeId()).isEqualTo("node-a");
		}
	}

	@Test
	void utf8AndBinaryMessagesSurviveTheRoundTrip() {
		ClusterEnvelope text = ClusterEnvelope.decode(
				new ClusterEnvelope("n", SessionSelector.all(), new ClusterMessage.Utf8("grüße \uD83D\uDE00")).encode());
		assertThat(text.message()).isEqualTo(new ClusterMessage.Utf8("grüße \uD83D\uDE00"));
		ByteBuffer payload = ByteBuffer.wrap(new byte[] { 9, 1, 2, 3, 9 }, 1, 3);
		ClusterEnvelope binary = ClusterEnvelope
			.decode(new ClusterEnvelope("n", SessionSelector.all(), new ClusterMessage.Binary(payload)).encode());
		ByteBuffer decoded = ((ClusterMessage.Binary) binary.message()).payload();
		byte[] bytes = new byte[decoded.remaining()];
		decoded.get(bytes);
		assertThat(bytes).containsExactly(1, 2, 3);
	}

	@Test
	void attributeValueWithoutAnEncodingIsRefusedAtTheSender() {
		ClusterEnvelope envelope = new ClusterEnvelope("n", SessionSelector.attribute("day", LocalDate.EPOCH),
				new ClusterMessage.Utf8("x"));
		assertThatIllegalArgumentException().isThrownBy(envelope::encode)
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
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(bytes.toByteArray()))
			.withMessageContaining("Unknown envelope version");
	}

	@Test
	void unknownTagsAreRefused() {
		byte[] valid = new ClusterEnvelope("n", SessionSelector.attribute("k", "v"), new ClusterMessage.Utf8("x"))
			.encode();
		// version, origin (4 + 1 bytes), selector tag at 6, name (4 + 1 bytes), value tag at 12
		byte[] selectorTag = valid.clone();
		selectorTag[6] = 99;
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(selectorTag))
			.withMessageContaining("Unknown selector tag 99");
		byte[] valueTag = valid.clone();
		valueTag[12] = 77;
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(valueTag))
			.withMessageContaining("Unknown attribute value tag 77");
	}

	@Test
	void truncatedOrOverlongInputIsRefused() {
		byte[] valid = new ClusterEnvelope("node", SessionSelector.user("bob"), new ClusterMessage.Utf8("hello"))
			.encode();
		for (int length = 0; length < valid.length; length++) {
			byte[] truncated = Arrays.copyOf(valid, length);
			assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(truncated));
		}
		byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(trailing))
			.withMessageContaining("after the payload");
	}

	@Test
	void forgedLengthAllocatesNothingAndIsRefused() {
		ByteBuffer forged = ByteBuffer.allocate(5).put(ClusterEnvelope.VERSION).putInt(Integer.MAX_VALUE);
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(forged.array()))
			.withMessageContaining("exceeds");
	}

	@Test
	void deeplyNestedExceptIsRefused() {
		SessionSelector selector = SessionSelector.all();
		for (int i = 0; i <= ClusterEnvelope.MAX_SELECTOR_DEPTH; i++) {
			selector = selector.except(SessionId.of(i));
		}
		byte[] bytes = new ClusterEnvelope("n", selector, new ClusterMessage.Utf8("x")).encode();
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(bytes))
			.withMessageContaining("nested deeper");
	}

	@Test
	void invalidUtf8IsRefused() {
		byte[] valid = new ClusterEnvelope("n", SessionSelector.all(), new ClusterMessage.Utf8("ab")).encode();
		valid[valid.length - 1] = (byte) 0xFF;
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(valid))
			.withMessageContaining("Invalid UTF-8");
	}

}
