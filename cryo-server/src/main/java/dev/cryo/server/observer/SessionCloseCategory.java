package dev.cryo.server.observer;

import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.server.CryoServer;

/**
 * Why a session ended, in a small fixed set of categories: few enough to be a metric tag,
 * derived from the close code, the side that closed and, for 4000, the BYE reason.
 */
public enum SessionCloseCategory {

	/** WebSocket close 1000 or 1001 without a BYE, from either side (also {@code destroy()}). */
	NORMAL("normal"),

	/** The peer said BYE (close 4000 started by the peer). */
	PEER_BYE("peer-bye"),

	/** This server said BYE: {@code close(reason)} by the application. */
	LOCAL_BYE("local-bye"),

	/**
	 * The peer stopped answering pings (cryo-v1.md §7): BYE and 4000, or 4001 with the dead-peer
	 * reason in a dialect without BYE (legacy-v0.md §6).
	 */
	HEARTBEAT_TIMEOUT("heartbeat-timeout"),

	/** A legacy client and the server disagreed about CALE, or its handshake failed: 4010 or 4011 (legacy-v0.md §8). */
	CALE_FAILURE("cale-failure"),

	/** The peer broke the protocol or a limit: 4001, 1002, 1007 or 1009. */
	PROTOCOL_ERROR("protocol-error"),

	/**
	 * The peer did not keep up: send timeout, the {@code terminate} drop policy, or more ACKs and
	 * pongs than it reads (1008).
	 */
	POLICY("policy"),

	/** The server had no room for the peer's message: its reassembly budget was spent (1013). */
	OVERLOAD("overload"),

	/** The server shut down and said BYE {@value CryoServer#SHUTDOWN_REASON}. */
	SHUTDOWN("shutdown"),

	/** The connection dropped without a close frame (1006). */
	CONNECTION_LOST("connection-lost"),

	/** An internal failure: 4002 or 1011. */
	SERVER_ERROR("server-error"),

	/** Any other close code. */
	OTHER("other");

	private final String tagValue;

	SessionCloseCategory(String tagValue) {
		this.tagValue = tagValue;
	}

	/**
	 * Returns the category as a metric tag value.
	 * @return e.g. {@code peer-bye}
	 */
	public String tagValue() {
		return this.tagValue;
	}

	/**
	 * Classifies how a session ended.
	 * @param closeInfo the close code, reason and initiator
	 * @return the category
	 */
	public static SessionCloseCategory of(CloseInfo closeInfo) {
		return switch (closeInfo.code()) {
			case CloseCodes.GRACEFUL -> graceful(closeInfo);
			case CloseCodes.NORMAL, 1001 -> NORMAL;
			case CloseCodes.CLIENT_ERROR -> ProtocolSession.DEAD_PEER_REASON.equals(closeInfo.reason()) ? HEARTBEAT_TIMEOUT
					: PROTOCOL_ERROR;
			case CloseCodes.MESSAGE_TOO_BIG, 1002, 1007 -> PROTOCOL_ERROR;
			case 4010, 4011 -> CALE_FAILURE;
			case CloseCodes.POLICY_VIOLATION -> POLICY;
			case CloseCodes.TRY_AGAIN_LATER -> OVERLOAD;
			case CloseCodes.ABNORMAL -> CONNECTION_LOST;
			case CloseCodes.SERVER_ERROR, 1011 -> SERVER_ERROR;
			default -> OTHER;
		};
	}

	private static SessionCloseCategory graceful(CloseInfo closeInfo) {
		if (closeInfo.initiator() == CloseInfo.Initiator.PEER) {
			return PEER_BYE;
		}
		// 4000 from this side says BYE for three reasons; only the reason text tells them apart.
		if (CryoServer.SHUTDOWN_REASON.equals(closeInfo.reason())) {
			return SHUTDOWN;
		}
		if (ProtocolSession.DEAD_PEER_REASON.equals(closeInfo.reason())) {
			return HEARTBEAT_TIMEOUT;
		}
		return LOCAL_BYE;
	}

}
