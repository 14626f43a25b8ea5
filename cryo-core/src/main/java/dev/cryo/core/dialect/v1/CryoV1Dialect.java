package dev.cryo.core.dialect.v1;


import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.frame.TransactionLayout;

/**
 * Cryo v1 (cryo-v1.md), the native dialect and the one every request without another
 * dialect's marks speaks: no subprotocol, the sid in {@code x-cryo-sid}, an ENDPOINT_INFO
 * exchange that opens the session, pings that carry an ack number, session-wide TX_FLOW.
 */
public final class CryoV1Dialect extends EndpointInfoPolicy implements CryoDialect {

	/** The one instance; the dialect holds no state. */
	public static final CryoV1Dialect INSTANCE = new CryoV1Dialect();

	private CryoV1Dialect() {
	}

	@Override
	public String name() {
		return "cryo-v1";
	}

	/** v1 is the fallback: it accepts whatever the dialects asked before it left. */
	@Override
	public boolean recognises(UpgradeRequest request) {
		return true;
	}

	@Override
	public WireCodec codec() {
		return CryoV1Codec.INSTANCE;
	}

	@Override
	public SessionPolicy policy() {
		return this;
	}

	/** A ping takes a fresh ack number and the pong echoes it (§7). */
	@Override
	public boolean pingCarriesAck() {
		return true;
	}

	@Override
	public TransactionFlavour transactions() {
		return TransactionFlavour.SESSION_FLOW;
	}

	/** Such a peer speaks the cryo-protocol 1.4 layouts, both ways, for the whole session (§10.5 rule 1). */
	@Override
	public TransactionLayout unannouncedLayout(TransactionLayout current) {
		return TransactionLayout.CRYO_PROTOCOL_1_4;
	}

	@Override
	public FrameDispatcher dispatcher() {
		return CryoV1Dispatcher.V1;
	}

	@Override
	public String toString() {
		return name();
	}

}
