package dev.cryo.sample;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.cryo.sample.CryoWire.Frame;
import dev.cryo.sample.CryoWire.Layout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validates the suite's own, independent encoder/decoder ({@link CryoWire}) against the golden
 * vectors (cryo-v1.md §13/§15, camp.md §9) before it is trusted to judge the server: every entry
 * is run by name, encoded from its fields in its layout (the seed vectors, the cryo-protocol 1.4
 * variants and the frames the published 1.4 client put on the wire, CAMP's vectors and the frames
 * of the published CAMP clients) and decoded back. No server involved.
 */
@DisplayName("Conformance client self-check — independent codec vs. golden vectors")
class IndependentCodecVectorTests {

	static Stream<Arguments> vectors() {
		return Vectors.list("$.vectors[*]").stream().map((vector) -> Arguments.of(vector.get("name"), vector));
	}

	static Stream<Arguments> referenceServerVariants() {
		return Vectors.list("$.referenceServerVariants.vectors[*]")
			.stream()
			.map((vector) -> Arguments.of(vector.get("name"), vector));
	}

	static Stream<Arguments> clientCaptures() {
		return Vectors.list("$.clientCaptures[*]").stream().map((vector) -> Arguments.of(vector.get("name"), vector));
	}

	static Stream<Arguments> campVectors() {
		return Stream.concat(Vectors.campList("$.vectors[*]").stream(), Vectors.campList("$.clientCaptures[*]").stream())
			.map((vector) -> Arguments.of(vector.get("name"), vector));
	}

	static Stream<Arguments> campInvalid() {
		return Vectors.campList("$.invalid[*]").stream().map((vector) -> Arguments.of(vector.get("name"), vector));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	@DisplayName("§13: encoding the fields reproduces hex byte for byte, and decoding hex yields the fields")
	void vector(String name, Map<String, Object> vector) {
		roundTrip(name, vector, Layout.SEED);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("referenceServerVariants")
	@DisplayName("§10.5 referenceServerVariants: the cryo-protocol 1.4 layouts, encoded and decoded")
	void referenceServerVariant(String name, Map<String, Object> vector) {
		Frame frame = roundTrip(name, vector, Layout.CRYO_PROTOCOL_1_4);
		if (frame.is(CryoWire.TX_START) && frame.startSize(Layout.CRYO_PROTOCOL_1_4) == CryoWire.UNKNOWN_SIZE) {
			assertRecognisableAs14(frame);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCaptures")
	@DisplayName("§16 clientCaptures: cryo-client-node 1.3.0's frames, the transaction frames in the 1.4 layouts")
	@SuppressWarnings("unchecked")
	void clientCapture(String name, Map<String, Object> capture) {
		assertThat(capture.get("direction")).isEqualTo("client->server");
		Layout layout = ((String) capture.get("type")).contains("(1.4") ? Layout.CRYO_PROTOCOL_1_4 : Layout.SEED;
		Frame frame = roundTrip(name, capture, layout);
		Map<String, Object> fields = (Map<String, Object>) capture.get("fields");
		if (frame.is(CryoWire.TX_START)) {
			// Every 1.4-generation push upload starts like this: what §10.5 rule 3 detects.
			assertThat(frame.startSize(layout)).isEqualTo(CryoWire.UNKNOWN_SIZE);
			assertRecognisableAs14(frame);
		}
		if (frame.is(CryoWire.UTF8DATA) || frame.is(CryoWire.TX_START)) {
			// The client never sends ENDPOINT_INFO: its counter starts with data (§16.2).
			assertThat(u32(fields.get("ack"))).isLessThan(16);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("campVectors")
	@DisplayName("camp.md §9: CAMP vectors and the published CAMP clients' frames, encoded and decoded in the CAMP layout")
	void campVector(String name, Map<String, Object> vector) {
		roundTrip(name, vector, Layout.CAMP);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("campInvalid")
	@DisplayName("camp.md §9 invalid: the independent checks refuse every invalid CAMP frame")
	void campInvalid(String name, Map<String, Object> vector) {
		byte[] message;
		if (vector.get("hex") instanceof String hex) {
			message = CryoWire.unhex(hex);
		}
		else {
			// Described by length: the prefix, then 0x61 up to the length.
			byte[] prefix = CryoWire.unhex((String) vector.get("hexPrefix"));
			message = Arrays.copyOf(prefix, ((Number) vector.get("length")).intValue());
			Arrays.fill(message, prefix.length, message.length, (byte) 0x61);
		}
		assertThat(message).as("length of %s", name).hasSize(((Number) vector.get("length")).intValue());
		assertThat(CryoWire.problems(message, Layout.CAMP)).as("problems found in %s (%s)", name, vector.get("reason"))
			.isNotEmpty();
	}

	/**
	 * Encodes the entry's fields in the layout and compares with its hex, then decodes the hex and
	 * compares with the fields; the hex must also be a well-formed frame of the layout.
	 */
	@SuppressWarnings("unchecked")
	private static Frame roundTrip(String name, Map<String, Object> vector, Layout layout) {
		Map<String, Object> fields = (Map<String, Object>) vector.get("fields");
		String hex = (String) vector.get("hex");
		int type = CryoWire.typeCode((String) vector.get("type"), layout);
		assertThat(CryoWire.hex(encode(type, fields, layout))).as("encoding of %s", name).isEqualTo(hex);

		byte[] bytes = CryoWire.unhex(hex);
		assertThat(CryoWire.problems(bytes, layout)).as("%s is well formed in %s", name, layout).isEmpty();
		Frame decoded = CryoWire.decode(bytes);
		assertThat(decoded.sid()).isEqualTo(Long.parseUnsignedLong((String) fields.get("sid")));
		assertThat(decoded.type()).isEqualTo(type);
		boolean campPing = layout == Layout.CAMP && type == CryoWire.PING_PONG;
		if (campPing) {
			assertThat(decoded.campPingText()).isEqualTo(fields.get("payload"));
			assertThat(decoded.length()).isEqualTo(13);
		}
		else if (type == CryoWire.TX_CHUNK) {
			assertThat(decoded.ack()).as("txid of the chunk").isEqualTo(u32(fields.get("txid")));
			assertThat(decoded.chunkPayload(layout)).isEqualTo(CryoWire.unhex((String) fields.get("payloadHex")));
			if (layout == Layout.CRYO_PROTOCOL_1_4) {
				assertThat(decoded.chunkPosition(layout)).as("seq").isEqualTo(u32(fields.get("seq")));
			}
			if (layout == Layout.CAMP) {
				assertThat(decoded.chunkPosition(layout)).as("offset").isEqualTo(u64(fields.get("offset")));
			}
		}
		else {
			assertThat(decoded.ack()).as("ack").isEqualTo(ack(fields));
		}
		if (fields.containsKey("txid") && type != CryoWire.TX_CHUNK) {
			assertThat(decoded.txid()).as("txid").isEqualTo(u32(fields.get("txid")));
		}
		if (type == CryoWire.ENDPOINT_INFO) {
			assertThat(decoded.version()).isEqualTo(u32(fields.get("version")));
			assertThat(Long.toUnsignedString(decoded.flags())).isEqualTo(fields.get("flags"));
		}
		if (type == CryoWire.TX_START) {
			assertThat(decoded.startName(layout)).as("name").isEqualTo(fields.get("name"));
			if (layout != Layout.SEED) {
				assertThat(decoded.startSize(layout)).as("size").isEqualTo(u64(fields.get("size")));
			}
			if (layout == Layout.CAMP) {
				assertThat(decoded.campBehaviour()).as("behaviour").isEqualTo(fields.get("behaviourCode"));
			}
		}
		else if (!campPing && fields.get("payload") instanceof String text) {
			assertThat(decoded.text()).isEqualTo(text);
		}
		if (fields.get("reason") instanceof String reason) {
			assertThat(decoded.text()).isEqualTo(reason);
		}
		if (fields.get("payloadHex") instanceof String payload && type != CryoWire.TX_CHUNK) {
			assertThat(decoded.tail()).isEqualTo(CryoWire.unhex(payload));
		}
		if (fields.containsKey("start")) {
			assertThat(decoded.rangeStart()).isEqualTo(u64(fields.get("start")));
			assertThat(decoded.rangeEnd()).isEqualTo(u64(fields.get("end")));
		}
		if (fields.containsKey("startChunk")) {
			assertThat(decoded.u32(17)).isEqualTo(u32(fields.get("startChunk")));
			assertThat(decoded.u32(21)).isEqualTo(u32(fields.get("endChunk")));
		}
		return decoded;
	}

	/** Builds the frame from the entry's fields with the encoder of its layout. */
	private static byte[] encode(int type, Map<String, Object> fields, Layout layout) {
		long sid = Long.parseUnsignedLong((String) fields.get("sid"));
		long ack = (type == CryoWire.TX_CHUNK) ? u32(fields.get("txid")) : ack(fields);
		boolean camp = layout == Layout.CAMP;
		return switch (type) {
			case CryoWire.ENDPOINT_INFO -> CryoWire.endpointInfo(sid, ack, u32(fields.get("version")),
					Long.parseUnsignedLong((String) fields.get("flags")));
			case CryoWire.BYE -> CryoWire.bye(sid, ack, (String) fields.get("reason"));
			case CryoWire.ACK -> CryoWire.ack(sid, ack);
			case CryoWire.ERROR -> CryoWire.error(sid, ack, (String) fields.get("payload"));
			case CryoWire.PING_PONG -> {
				boolean ping = "ping".equals(fields.get("payload"));
				if (camp) {
					yield ping ? CryoWire.campPing(sid) : CryoWire.campPong(sid);
				}
				yield ping ? CryoWire.ping(sid, ack) : CryoWire.pong(sid, ack);
			}
			case CryoWire.UTF8DATA -> CryoWire.utf8(sid, ack, (String) fields.get("payload"));
			case CryoWire.BINARYDATA -> CryoWire.binary(sid, ack, CryoWire.unhex((String) fields.get("payloadHex")));
			case CryoWire.TX_START -> {
				long txid = u32(fields.get("txid"));
				String txName = (String) fields.get("name");
				yield switch (layout) {
					case SEED -> CryoWire.txStart(sid, ack, txid, txName);
					case CRYO_PROTOCOL_1_4 -> CryoWire.txStart14(sid, ack, txid, (int) u64(fields.get("size")), txName);
					case CAMP -> CryoWire.campTxStart(sid, ack, txid, u64(fields.get("size")),
							((Number) fields.get("behaviourCode")).intValue(), txName);
				};
			}
			case CryoWire.TX_CHUNK -> {
				byte[] payload = CryoWire.unhex((String) fields.get("payloadHex"));
				yield switch (layout) {
					case SEED -> CryoWire.txChunk(sid, ack, payload);
					case CRYO_PROTOCOL_1_4 -> CryoWire.txChunk14(sid, ack, u32(fields.get("seq")), payload, 0,
							payload.length);
					case CAMP -> CryoWire.campTxChunk(sid, ack, u64(fields.get("offset")), payload, 0, payload.length);
				};
			}
			case CryoWire.TX_FINISH -> CryoWire.ackAndTxid(sid, type, ack, u32(fields.get("txid")));
			case CryoWire.TX_FLOW -> camp
					? CryoWire.campTxFetch(sid, ack, u32(fields.get("txid")), u64(fields.get("start")),
							u64(fields.get("end")))
					: CryoWire.txFlow(sid, ack, ((Number) fields.get("behaviourCode")).intValue());
			case CryoWire.TX_PULL -> switch (layout) {
				case SEED -> CryoWire.txPull(sid, ack, u32(fields.get("txid")), u64(fields.get("start")),
						u64(fields.get("end")));
				case CRYO_PROTOCOL_1_4 -> CryoWire.txFetch14(sid, ack, u32(fields.get("txid")),
						u32(fields.get("startChunk")), u32(fields.get("endChunk")));
				case CAMP -> CryoWire.campTxCancel(sid, ack, u32(fields.get("txid")));
			};
			case CryoWire.TX_CANCEL -> CryoWire.ackAndTxid(sid, type, ack, u32(fields.get("txid")));
			default -> throw new AssertionError("no encoder for type " + type + " in " + layout);
		};
	}

	/** The number in the ack field: {@code ack}, or CAMP's {@code ackedAck} of an ACK. */
	private static long ack(Map<String, Object> fields) {
		Object ack = fields.containsKey("ack") ? fields.get("ack") : fields.get("ackedAck");
		return (ack != null) ? u32(ack) : 0;
	}

	/** §10.5 rule 3: bytes 17–20 of a 1.4 TX_START of unknown size are FF FF FF FF, never UTF-8. */
	private static void assertRecognisableAs14(Frame frame) {
		assertThat(Arrays.copyOfRange(frame.bytes(), 17, 21)).as("bytes 17-20 of %s", frame)
			.containsExactly(0xFF, 0xFF, 0xFF, 0xFF);
		assertThat(new String(frame.bytes(), 17, frame.length() - 17, StandardCharsets.UTF_8))
			.as("read as a seed name, the size bytes are no UTF-8")
			.startsWith("\uFFFD");
	}

	private static long u32(Object number) {
		return ((Number) number).longValue() & CryoWire.U32_MAX;
	}

	/** A 64-bit field: a decimal string (unsigned, or −1) or a JSON number (cryo-v1.json's 1.4 sizes). */
	private static long u64(Object value) {
		if (value instanceof Number number) {
			return number.longValue();
		}
		String text = (String) value;
		return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
	}

}
