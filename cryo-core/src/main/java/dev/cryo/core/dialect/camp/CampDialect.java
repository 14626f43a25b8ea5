package dev.cryo.core.dialect.camp;

import java.util.List;

import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.dialect.v1.CryoV1Dispatcher;
import dev.cryo.core.dialect.v1.EndpointInfoPolicy;
import dev.cryo.core.frame.TransactionLayout;

/**
 * CAMP (camp.md): recognised by the {@code camp} subprotocol or a session id in
 * {@code x-camp-sid} / {@code x-CAMP-sid} (§1), the same ENDPOINT_INFO exchange as Cryo v1 (and
 * the same readiness for a peer that never sends one, §8 rule 2), pings without an ack number,
 * and transactions whose mode is chosen per transaction in TX_START.
 */
public final class CampDialect extends EndpointInfoPolicy implements CryoDialect {

	/** The one instance; the dialect holds no state. */
	public static final CampDialect INSTANCE = new CampDialect();

	/** The subprotocol a CAMP client offers (camp.md §1). */
	public static final String SUBPROTOCOL = "camp";

	/** The session id parameter of the CAMP text. */
	public static final String SID_PARAMETER = "x-camp-sid";

	/** The session id parameter the CAMP reference server and the published clients use. */
	public static final String REFERENCE_SID_PARAMETER = "x-CAMP-sid";

	private CampDialect() {
	}

	@Override
	public String name() {
		return "camp";
	}

	/** The {@code camp} subprotocol offered, or either spelling of the CAMP sid parameter (§1 rule 1). */
	@Override
	public boolean recognises(UpgradeRequest request) {
		return request.offers(SUBPROTOCOL) || request.queryParameter(SID_PARAMETER) != null
				|| request.queryParameter(REFERENCE_SID_PARAMETER) != null;
	}

	@Override
	public List<String> subprotocols() {
		return List.of(SUBPROTOCOL);
	}

	/** {@code x-camp-sid}, falling back to {@code x-CAMP-sid}; {@code x-cryo-sid} is never read (§1 rule 2). */
	@Override
	public List<String> sessionIdParameters() {
		return List.of(SID_PARAMETER, REFERENCE_SID_PARAMETER);
	}

	@Override
	public WireCodec codec() {
		return CampCodec.INSTANCE;
	}

	@Override
	public SessionPolicy policy() {
		return this;
	}

	/** A CAMP ping is 13 bytes without an ack field (§4). */
	@Override
	public boolean pingCarriesAck() {
		return false;
	}

	@Override
	public TransactionFlavour transactions() {
		return TransactionFlavour.PER_TRANSACTION;
	}

	@Override
	public TransactionLayout initialLayout(TransactionLayout configured) {
		return TransactionLayout.CAMP;
	}

	@Override
	public FrameDispatcher dispatcher() {
		return CryoV1Dispatcher.CAMP;
	}

	@Override
	public String toString() {
		return name();
	}

}
