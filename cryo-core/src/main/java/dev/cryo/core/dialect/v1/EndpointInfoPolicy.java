package dev.cryo.core.dialect.v1;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;

/**
 * The session rules of the dialects that open with an ENDPOINT_INFO exchange — Cryo v1 and its
 * successor CAMP (camp.md §6): each side announces version 1 and the transaction feature first,
 * the session waits for the peer's announcement (or, for a peer that never sends one, for the
 * frames that show it will not, cryo-v1.md §3 rule 9), and every frame but ACK, PING_PONG and
 * TX_CHUNK is tracked. What differs — pings, transactions, the dispatcher — is the subclass's.
 */
public abstract class EndpointInfoPolicy implements SessionPolicy {

	/** ENDPOINT_INFO with version 1 and FEATURE_TRANSACTIONS (§3). */
	@Override
	public @Nullable Frame openingFrame(SessionId sid) {
		return new EndpointInfoFrame(sid, 0, EndpointInfoFrame.PROTOCOL_VERSION, EndpointInfoFrame.FEATURE_TRANSACTIONS);
	}

	@Override
	public boolean awaitsPeerOpening() {
		return true;
	}

	/** Published clients of both dialects never send ENDPOINT_INFO (§3 rule 9, camp.md §8 rule 2). */
	@Override
	public boolean opensWithoutAnnouncement() {
		return true;
	}

	/** Everything but ACK, PING_PONG and TX_CHUNK (§6.2, camp.md §5). */
	@Override
	public boolean isTracked(FrameType type) {
		return type.isTracked();
	}

}
