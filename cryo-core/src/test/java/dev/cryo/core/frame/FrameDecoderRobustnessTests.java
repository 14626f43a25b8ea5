package dev.cryo.core.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.CryoFrameException.Rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Feeds random and mutated byte arrays to {@link FrameCodec#decode(byte[])} and asserts that
 * nothing but {@link CryoFrameException} ever escapes, and that whatever is accepted re-encodes
 * to a frame that decodes to itself.
 *
 * <p>One million inputs by default; {@code -Dcryo.test.full=true} runs twenty million. The seed
 * is printed and can be fixed with {@code -Dcryo.test.seed=...} to replay a failure.
 */
class FrameDecoderRobustnessTests {

	private static final int DEFAULT_INPUTS = 1_000_000;

	private static final int FULL_INPUTS = 20_000_000;

	private static final int[] ASSIGNED_CODES = Arrays.stream(FrameType.values()).mapToInt(FrameType::code).toArray();

	@Test
	void onlyTheCodecsOwnExceptionEverEscapes() {
		int inputs = Boolean.getBoolean("cryo.test.full") ? FULL_INPUTS : DEFAULT_INPUTS;
		long seed = Long.getLong("cryo.test.seed", System.nanoTime());
		SplittableRandom random = new SplittableRandom(seed);
		List<byte[]> corpus = corpus();
		Map<FrameType, Integer> accepted = new EnumMap<>(FrameType.class);
		Map<Rule, Integer> rejected = new EnumMap<>(Rule.class);
		for (int i = 0; i < inputs; i++) {
			byte[] input = ((i & 1) == 0) ? randomMessage(random) : mutate(corpus.get(random.nextInt(corpus.size())),
					corpus, random);
			try {
				Frame frame = FrameCodec.decode(input);
				Frame again = FrameCodec.decode(FrameCodec.encode(frame));
				if (!again.equals(frame)) {
					fail("re-encoded frame differs (seed %d): %s -> %s -> %s", seed, Hex.of(input), frame, again);
				}
				accepted.merge(frame.type(), 1, Integer::sum);
			}
			catch (CryoFrameException ex) {
				rejected.merge(ex.rule(), 1, Integer::sum);
			}
			catch (Throwable ex) {
				throw new AssertionError("decode threw " + ex + " for " + Hex.of(input) + " (seed " + seed + ")", ex);
			}
		}
		System.out.printf("Robustness: %,d inputs (seed %d), accepted %s, rejected %s%n", inputs, seed, accepted,
				rejected);
		// The generator reaches every frame type and every malformed-frame rule, so both paths were exercised.
		assertThat(accepted.keySet()).containsExactlyInAnyOrder(FrameType.values());
		assertThat(rejected.keySet()).containsExactlyInAnyOrder(Rule.TOO_SHORT, Rule.TOO_LONG, Rule.UNKNOWN_TYPE,
				Rule.INVALID_PING_PONG_PAYLOAD, Rule.INVALID_FLOW_BEHAVIOUR);
	}

	/** Every message of the vector file: valid, invalid, lenient, reference variants and transcript. */
	private static List<byte[]> corpus() {
		List<byte[]> corpus = new ArrayList<>();
		List<JsonNode> entries = new ArrayList<>();
		entries.addAll(CryoV1Vectors.vectors());
		entries.addAll(CryoV1Vectors.invalid());
		entries.addAll(CryoV1Vectors.lenient());
		entries.addAll(CryoV1Vectors.referenceServerVariants());
		JsonNode transcript = CryoV1Vectors.referenceTranscript().path("frames");
		for (int i = 0; i < transcript.size(); i++) {
			entries.add(transcript.get(i));
		}
		for (JsonNode entry : entries) {
			corpus.add(Hex.bytes(entry.path("hex").stringValue()));
		}
		return corpus;
	}

	/** Random bytes of 0–48 bytes, usually with an assigned type byte so decoding gets past the header. */
	private static byte[] randomMessage(SplittableRandom random) {
		byte[] message = new byte[random.nextInt(49)];
		random.nextBytes(message);
		if (message.length > 8 && random.nextInt(10) < 8) {
			message[8] = (byte) ASSIGNED_CODES[random.nextInt(ASSIGNED_CODES.length)];
		}
		return message;
	}

	private static byte[] mutate(byte[] original, List<byte[]> corpus, SplittableRandom random) {
		byte[] message = original.clone();
		int mutations = 1 + random.nextInt(3);
		for (int m = 0; m < mutations; m++) {
			switch (random.nextInt(6)) {
				case 0 -> flipBit(message, random);
				case 1 -> setByte(message, random);
				case 2 -> message = Arrays.copyOf(message, random.nextInt(message.length + 1));
				case 3 -> message = extend(message, random);
				case 4 -> setTypeByte(message, random);
				default -> message = splice(message, corpus.get(random.nextInt(corpus.size())), random);
			}
		}
		return message;
	}

	private static void flipBit(byte[] message, SplittableRandom random) {
		if (message.length > 0) {
			message[random.nextInt(message.length)] ^= (byte) (1 << random.nextInt(8));
		}
	}

	private static void setByte(byte[] message, SplittableRandom random) {
		if (message.length > 0) {
			int[] interesting = { 0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF, 'p', 'i', 'n', 'o', 'g' };
			message[random.nextInt(message.length)] = (byte) (random.nextBoolean()
					? interesting[random.nextInt(interesting.length)] : random.nextInt(256));
		}
	}

	private static byte[] extend(byte[] message, SplittableRandom random) {
		byte[] extra = new byte[1 + random.nextInt(24)];
		random.nextBytes(extra);
		return CryoV1Vectors.concat(message, extra);
	}

	private static void setTypeByte(byte[] message, SplittableRandom random) {
		if (message.length > 8) {
			message[8] = (byte) (random.nextBoolean() ? ASSIGNED_CODES[random.nextInt(ASSIGNED_CODES.length)]
					: random.nextInt(256));
		}
	}

	private static byte[] splice(byte[] first, byte[] second, SplittableRandom random) {
		int cut = random.nextInt(first.length + 1);
		int from = random.nextInt(second.length + 1);
		return CryoV1Vectors.concat(Arrays.copyOf(first, cut), Arrays.copyOfRange(second, from, second.length));
	}

}
