package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import dev.cryo.core.SessionId;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * QuickTheories generators for every frame type, biased towards the edges of each field; public
 * so that the property tests of the dialect packages can build on the field generators.
 */
public final class FrameGenerators {

	private FrameGenerators() {
	}

	/** Any u64, with 0, 1, 2^63 and 2^64-1 mixed in. */
	public static Gen<Long> u64() {
		return longs().all().mix(Generate.pick(List.of(0L, 1L, Long.MIN_VALUE, -1L, Long.MAX_VALUE)), 20);
	}

	/** Any u32, with 0, 1, 2^31-1, 2^31 and 2^32-1 mixed in. */
	public static Gen<Integer> u32() {
		return integers().all().mix(Generate.pick(List.of(0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, -1)), 20);
	}

	/** Byte payloads, mostly small, sometimes empty, sometimes tens of KiB. */
	public static Gen<ByteBuffer> payloads() {
		Gen<Integer> sizes = Generate.frequency(List.of(Pair.of(6, Generate.range(0, 64)),
				Pair.of(3, Generate.range(64, 4096)),
				Pair.of(1, Generate.range(4096, 70_000))));
		Function<byte[], ByteBuffer> wrap = ByteBuffer::wrap;
		return Generate.byteArrays(sizes, Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)).map(wrap);
	}

	/** Well-formed text: any Unicode scalar value (no lone surrogates), one to four UTF-8 bytes each. */
	public static Gen<String> texts() {
		int surrogates = Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1;
		Gen<Integer> scalar = Generate.range(0, Character.MAX_CODE_POINT - surrogates)
			.map((Integer value) -> (value < Character.MIN_SURROGATE) ? value : value + surrogates);
		Gen<Integer> ascii = Generate.range(0x20, 0x7E);
		return lists().of(scalar.mix(ascii, 50)).ofSizeBetween(0, 200).map((List<Integer> codePoints) -> {
			StringBuilder text = new StringBuilder();
			codePoints.forEach(text::appendCodePoint);
			return text.toString();
		});
	}

	public static Gen<Frame> frames(FrameType type) {
		Gen<SessionId> sid = u64().map(SessionId::of);
		Gen<Integer> ack = u32();
		return switch (type) {
			case ENDPOINT_INFO -> sid.zip(ack, u32(), u64(), EndpointInfoFrame::new);
			case BYE -> sid.zip(ack, texts(), ByeFrame::new);
			case ACK -> sid.zip(ack, AckFrame::new);
			case ERROR -> sid.zip(ack, texts(), ErrorFrame::new);
			case PING_PONG -> sid.zip(ack, Generate.enumValues(PingPongFrame.Kind.class), PingPongFrame::new);
			case UTF8DATA -> sid.zip(ack, texts(), Utf8DataFrame::of);
			case BINARYDATA -> sid.zip(ack, payloads(), BinaryDataFrame::new);
			case TX_START -> sid.zip(ack, u32(), texts(), TxStartFrame::new);
			case TX_CHUNK -> sid.zip(ack, payloads(), TxChunkFrame::new);
			case TX_FINISH -> sid.zip(ack, u32(), TxFinishFrame::new);
			case TX_FLOW -> sid.zip(ack, Generate.enumValues(FlowBehaviour.class), TxFlowFrame::new);
			case TX_PULL -> sid.zip(ack, u32(), u64(), u64(), TxPullFrame::new);
			case TX_CANCEL -> sid.zip(ack, u32(), TxCancelFrame::new);
		};
	}

	/**
	 * Frames of the transaction types whose layout differs in cryo-protocol 1.4 (cryo-v1.md
	 * §10.5): TX_START with a size from −1 to 2^31−1, TX_CHUNK with a u32 seq and the chunk-index
	 * TX_FETCH with u32 indexes.
	 */
	public static Gen<Frame> cryoProtocol14Frames(FrameType type) {
		Gen<SessionId> sid = u64().map(SessionId::of);
		Gen<Integer> ack = u32();
		TransactionLayout layout = TransactionLayout.CRYO_PROTOCOL_1_4;
		Gen<Long> size = integers().between(-1, Integer.MAX_VALUE)
			.map(Integer::longValue)
			.mix(Generate.pick(List.of(-1L, 0L, (long) Integer.MAX_VALUE)), 30);
		Gen<Long> u32 = u32().map(Integer::toUnsignedLong);
		return switch (type) {
			case TX_START -> sid.zip(ack, u32(), texts(), size,
					(s, a, txid, name, length) -> new TxStartFrame(s, a, txid, name, length, null, layout));
			case TX_CHUNK -> sid.zip(ack, payloads(), u32, (s, txid, payload, seq) -> new TxChunkFrame(s, txid, payload, seq, layout));
			case TX_PULL -> sid.zip(ack, u32(), u32, u32,
					(s, a, txid, start, end) -> new TxPullFrame(s, a, txid, start, end, layout));
			default -> throw new IllegalArgumentException(type + " is the same in both layouts");
		};
	}

	/** Frames of any type. */
	public static Gen<Frame> anyFrame() {
		return framesOf((type) -> true);
	}

	/** Frames of the types that pass the filter, each type equally likely. */
	public static Gen<Frame> framesOf(Predicate<FrameType> filter) {
		FrameType[] types = Arrays.stream(FrameType.values()).filter(filter).toArray(FrameType[]::new);
		return Generate.range(0, types.length - 1).flatMap((index) -> frames(types[index]));
	}

}
