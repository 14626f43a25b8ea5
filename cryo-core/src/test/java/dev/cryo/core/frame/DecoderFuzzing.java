package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.cryo.core.frame.CryoFrameException.Rule;

/**
 * Feeds random and mutated byte arrays to a decoder and checks that nothing but
 * {@link CryoFrameException} ever escapes, and that whatever is accepted re-encodes to a message
 * that decodes to the same frame. Shared by the robustness tests of every codec and layout.
 *
 * <p>One million inputs by default; {@code -Dcryo.test.full=true} runs twenty million. The seed
 * is printed and can be fixed with {@code -Dcryo.test.seed=...} to replay a failure.
 */
public final class DecoderFuzzing {

	/** Inputs per run by default: fast enough for every build. */
	public static final int DEFAULT_INPUTS = 1_000_000;

	/** Inputs per run with {@code -Dcryo.test.full=true}. */
	public static final int FULL_INPUTS = 20_000_000;

	private static final int[] INTERESTING_BYTES = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x7F, 0x80, 0xFE, 0xFF, 'p',
			'i', 'n', 'o', 'g' };

	private final String name;

	private final Function<ByteBuffer, Frame> decoder;

	private final Function<Frame, ByteBuffer> encoder;

	private final List<byte[]> corpus;

	private final int[] typeCodes;

	private BiConsumer<byte[], CryoFrameException> rejectionCheck = (input, ex) -> {
	};

	/** Where the type byte sits: after the 8-byte sid in Cryo v1 and CAMP. */
	private int typeOffset = 8;

	/**
	 * Prepares a run.
	 * @param name what is fuzzed, for the printed summary
	 * @param decoder the decoder under test, in the layout under test
	 * @param encoder the matching encoder, writing each frame with the ack number it carries
	 * @param corpus well-formed and malformed messages to mutate
	 * @param typeCodes the type bytes the codec assigns, so random messages mostly get past the header
	 */
	public DecoderFuzzing(String name, Function<ByteBuffer, Frame> decoder, Function<Frame, ByteBuffer> encoder,
			List<byte[]> corpus, int[] typeCodes) {
		if (corpus.isEmpty() || typeCodes.length == 0) {
			throw new IllegalArgumentException("corpus and type codes must not be empty");
		}
		this.name = name;
		this.decoder = decoder;
		this.encoder = encoder;
		this.corpus = List.copyOf(corpus);
		this.typeCodes = typeCodes.clone();
	}

	/**
	 * Adds a check every rejection must pass besides being a {@link CryoFrameException}.
	 * @param check called with the input and the exception; throws {@link AssertionError} to fail
	 * @return this run
	 */
	public DecoderFuzzing checkingRejections(BiConsumer<byte[], CryoFrameException> check) {
		this.rejectionCheck = Objects.requireNonNull(check);
		return this;
	}

	/**
	 * Moves the type byte that random messages and mutations favour, for a layout whose type is
	 * not at offset 8 (the legacy generation has it at 20, after a 16-byte sid and the ack).
	 * @param offset where the codec reads the type byte
	 * @return this run
	 */
	public DecoderFuzzing withTypeOffset(int offset) {
		this.typeOffset = offset;
		return this;
	}

	/**
	 * Runs the default or the full number of inputs, with the seed of {@code -Dcryo.test.seed} or
	 * a fresh one.
	 * @return what was accepted and rejected
	 */
	public Report run() {
		int inputs = Boolean.getBoolean("cryo.test.full") ? FULL_INPUTS : DEFAULT_INPUTS;
		return run(inputs, Long.getLong("cryo.test.seed", System.nanoTime()));
	}

	/**
	 * Runs a given number of inputs from a given seed.
	 * @param inputs how many messages to decode
	 * @param seed the seed of the generator
	 * @return what was accepted and rejected
	 */
	public Report run(int inputs, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		Map<FrameType, Integer> accepted = new EnumMap<>(FrameType.class);
		Map<Rule, Integer> rejected = new EnumMap<>(Rule.class);
		int lenientNamesGrown = 0;
		for (int i = 0; i < inputs; i++) {
			byte[] input = ((i & 1) == 0) ? randomMessage(random)
					: mutate(this.corpus.get(random.nextInt(this.corpus.size())), random);
			Frame frame;
			try {
				frame = this.decoder.apply(ByteBuffer.wrap(input));
			}
			catch (CryoFrameException ex) {
				rejected.merge(ex.rule(), 1, Integer::sum);
				try {
					this.rejectionCheck.accept(input, ex);
				}
				catch (AssertionError failure) {
					throw new AssertionError(this.name + ": rejection of " + Hex.of(input) + " (seed " + seed + "): "
							+ failure.getMessage(), failure);
				}
				continue;
			}
			catch (Throwable ex) {
				throw new AssertionError(this.name + ": decode threw " + ex + " for " + Hex.of(input) + " (seed " + seed
						+ ")", ex);
			}
			accepted.merge(frame.type(), 1, Integer::sum);
			if (reencodes(frame, input, seed)) {
				continue;
			}
			lenientNamesGrown++;
		}
		Report report = new Report(this.name, inputs, seed, accepted, rejected, lenientNamesGrown);
		System.out.println(report);
		return report;
	}

	/**
	 * Re-encodes an accepted frame and decodes it again; the two frames must be equal. Returns
	 * {@code false} only for a transaction name that lenient decoding made longer than the
	 * dialect's name limit (each malformed byte becomes a three-byte U+FFFD), which the encoder
	 * rightly refuses.
	 */
	private boolean reencodes(Frame frame, byte[] input, long seed) {
		ByteBuffer encoded;
		try {
			encoded = this.encoder.apply(frame);
		}
		catch (CryoFrameException ex) {
			if (ex.rule() == Rule.PAYLOAD_TOO_LARGE && frame instanceof TxStartFrame start
					&& start.name().indexOf('\uFFFD') >= 0) {
				return false;
			}
			throw new AssertionError(this.name + ": cannot re-encode " + frame + " decoded from " + Hex.of(input)
					+ " (seed " + seed + ")", ex);
		}
		catch (RuntimeException ex) {
			throw new AssertionError(this.name + ": cannot re-encode " + frame + " decoded from " + Hex.of(input)
					+ " (seed " + seed + ")", ex);
		}
		Frame again;
		try {
			again = this.decoder.apply(encoded);
		}
		catch (RuntimeException ex) {
			throw new AssertionError(this.name + ": re-encoded " + frame + " (from " + Hex.of(input) + ", seed " + seed
					+ ") is refused: " + Hex.of(encoded), ex);
		}
		if (!again.equals(frame)) {
			throw new AssertionError(this.name + ": re-encoded frame differs (seed " + seed + "): " + Hex.of(input)
					+ " -> " + frame + " -> " + again);
		}
		return true;
	}

	/** Random bytes of 0–48 bytes, usually with an assigned type byte so decoding gets past the header. */
	private byte[] randomMessage(SplittableRandom random) {
		byte[] message = new byte[random.nextInt(49)];
		random.nextBytes(message);
		if (message.length > this.typeOffset && random.nextInt(10) < 8) {
			message[this.typeOffset] = (byte) this.typeCodes[random.nextInt(this.typeCodes.length)];
		}
		return message;
	}

	private byte[] mutate(byte[] original, SplittableRandom random) {
		byte[] message = original.clone();
		int mutations = 1 + random.nextInt(3);
		for (int m = 0; m < mutations; m++) {
			switch (random.nextInt(7)) {
				case 0 -> flipBit(message, random);
				case 1 -> setByte(message, random);
				case 2 -> message = Arrays.copyOf(message, random.nextInt(message.length + 1));
				case 3 -> message = extend(message, random);
				case 4 -> setTypeByte(message, random);
				case 5 -> setWord(message, random);
				default -> message = splice(message, this.corpus.get(random.nextInt(this.corpus.size())), random);
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
			message[random.nextInt(message.length)] = (byte) (random.nextBoolean()
					? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)] : random.nextInt(256));
		}
	}

	/** Sets four bytes at once: sizes, offsets and ranges live in 32- and 64-bit fields. */
	private static void setWord(byte[] message, SplittableRandom random) {
		if (message.length >= 4) {
			int[] words = { 0, 1, -1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE };
			int at = random.nextInt(message.length - 3);
			ByteBuffer.wrap(message).putInt(at, random.nextBoolean() ? words[random.nextInt(words.length)]
					: random.nextInt());
		}
	}

	private static byte[] extend(byte[] message, SplittableRandom random) {
		byte[] extra = new byte[1 + random.nextInt(24)];
		random.nextBytes(extra);
		return concat(message, extra);
	}

	private void setTypeByte(byte[] message, SplittableRandom random) {
		if (message.length > this.typeOffset) {
			message[this.typeOffset] = (byte) (random.nextBoolean() ? this.typeCodes[random.nextInt(this.typeCodes.length)]
					: random.nextInt(256));
		}
	}

	private static byte[] splice(byte[] first, byte[] second, SplittableRandom random) {
		int cut = random.nextInt(first.length + 1);
		int from = random.nextInt(second.length + 1);
		return concat(Arrays.copyOf(first, cut), Arrays.copyOfRange(second, from, second.length));
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] all = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

	/**
	 * Turns hex strings into a corpus.
	 * @param hex messages in lower-case hex
	 * @return the messages
	 */
	public static List<byte[]> corpusOf(List<String> hex) {
		List<byte[]> corpus = new ArrayList<>();
		hex.forEach((message) -> corpus.add(Hex.bytes(message)));
		return corpus;
	}

	/**
	 * The outcome of a run.
	 * @param name what was fuzzed
	 * @param inputs how many messages were decoded
	 * @param seed the seed that replays the run
	 * @param accepted how many messages were accepted, by frame type
	 * @param rejected how many were rejected, by rule
	 * @param lenientNamesGrown accepted TX_STARTs whose name lenient decoding made too long to re-encode
	 */
	public record Report(String name, int inputs, long seed, Map<FrameType, Integer> accepted,
			Map<Rule, Integer> rejected, int lenientNamesGrown) {

		@Override
		public String toString() {
			return String.format("Robustness of %s: %,d inputs (seed %d), accepted %s, rejected %s%s", this.name,
					this.inputs, this.seed, this.accepted, this.rejected,
					(this.lenientNamesGrown > 0) ? ", " + this.lenientNamesGrown + " names grown by lenient UTF-8" : "");
		}

	}

}
