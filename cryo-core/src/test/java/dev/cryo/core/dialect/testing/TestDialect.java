package dev.cryo.core.dialect.testing;

import java.nio.ByteBuffer;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.MessageTransform;
import dev.cryo.core.dialect.SessionContext;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * A dialect that exists only to prove the seam: its own layout ({@link TestCodec}), no opening
 * announcement (a session is open as soon as it starts), pings without ack numbers and no
 * transactions. Offered as subprotocol {@value #SUBPROTOCOL} or recognised by the query
 * parameter {@value #SID_PARAMETER}. {@link #scrambled()} adds a message transform that
 * inverts every byte, standing in for an encryption layer.
 */
public final class TestDialect implements CryoDialect, SessionPolicy, FrameDispatcher {

	/** The subprotocol a client offers to speak the test dialect. */
	public static final String SUBPROTOCOL = "cryo-test";

	/** The query parameter that carries the sid of a test-dialect client. */
	public static final String SID_PARAMETER = "x-test-sid";

	private static final TestCodec CODEC = new TestCodec();

	private final boolean scrambled;

	/** Whether the dialect has BYE and tracks ERROR; without, it is shaped like the legacy generation. */
	private final boolean goodbyes;

	private TestDialect(boolean scrambled, boolean goodbyes) {
		this.scrambled = scrambled;
		this.goodbyes = goodbyes;
	}

	/**
	 * Returns the test dialect with messages as the codec writes them.
	 * @return the dialect
	 */
	public static TestDialect plain() {
		return new TestDialect(false, true);
	}

	/**
	 * Returns the test dialect without BYE and with untracked ERROR frames, as the legacy
	 * generation is (legacy-v0.md §5, §10.7).
	 * @return the dialect
	 */
	public static TestDialect withoutGoodbye() {
		return new TestDialect(false, false);
	}

	/**
	 * Returns the test dialect whose messages pass through a byte-inverting transform.
	 * @return the dialect
	 */
	public static TestDialect scrambled() {
		return new TestDialect(true, true);
	}

	@Override
	public String name() {
		return "cryo-test";
	}

	@Override
	public boolean recognises(UpgradeRequest request) {
		return request.offers(SUBPROTOCOL) || request.queryParameter(SID_PARAMETER) != null;
	}

	@Override
	public List<String> subprotocols() {
		return List.of(SUBPROTOCOL);
	}

	@Override
	public WireCodec codec() {
		return CODEC;
	}

	@Override
	public SessionPolicy policy() {
		return this;
	}

	@Override
	public @Nullable MessageTransform newMessageTransform() {
		return this.scrambled ? new Inverting() : null;
	}

	@Override
	public @Nullable Frame openingFrame(SessionId sid) {
		return null;
	}

	@Override
	public boolean awaitsPeerOpening() {
		return false;
	}

	@Override
	public boolean isTracked(FrameType type) {
		return type == FrameType.UTF8DATA || type == FrameType.BINARYDATA
				|| (this.goodbyes && (type == FrameType.ERROR || type == FrameType.BYE));
	}

	@Override
	public boolean hasGoodbye() {
		return this.goodbyes;
	}

	@Override
	public boolean pingCarriesAck() {
		return false;
	}

	@Override
	public TransactionFlavour transactions() {
		return TransactionFlavour.NONE;
	}

	@Override
	public FrameDispatcher dispatcher() {
		return this;
	}

	@Override
	public void dispatch(Frame frame, SessionContext session) {
		switch (frame.type()) {
			case ACK -> session.acknowledged(((AckFrame) frame).ack());
			case PING_PONG -> {
				if (((PingPongFrame) frame).isPing()) {
					session.pingReceived();
					session.sendExpedited(PingPongFrame.pong(session.sid(), 0), 0);
				}
				else {
					session.pongReceived();
				}
			}
			case UTF8DATA -> {
				Utf8DataFrame data = (Utf8DataFrame) frame;
				session.acknowledge(data.ack());
				session.utf8Received(data);
			}
			case BINARYDATA -> {
				BinaryDataFrame data = (BinaryDataFrame) frame;
				session.acknowledge(data.ack());
				session.binaryReceived(data);
			}
			case BYE -> {
				ByeFrame bye = (ByeFrame) frame;
				session.acknowledge(bye.ack());
				session.goodbyeReceived(bye.reason());
			}
			case ERROR -> {
				ErrorFrame error = (ErrorFrame) frame;
				session.acknowledge(error.ack());
				session.errorReceived(error);
			}
			default -> session.protocolViolation("The test dialect has no " + frame.type());
		}
	}

	/** Inverts every byte both ways: enough to show that the layer sits on both paths. */
	private static final class Inverting implements MessageTransform {

		@Override
		public ByteBuffer inbound(ByteBuffer message) {
			return invert(message);
		}

		@Override
		public ByteBuffer outbound(ByteBuffer message) {
			return invert(message);
		}

		private static ByteBuffer invert(ByteBuffer message) {
			ByteBuffer inverted = ByteBuffer.allocate(message.remaining());
			for (int i = message.position(); i < message.limit(); i++) {
				inverted.put((byte) ~message.get(i));
			}
			return inverted.flip();
		}

	}

}
