package dev.cryo.core.dialect;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;

/**
 * One wire dialect the engine can speak: how it is recognised at the WebSocket upgrade, its
 * byte layout, the few rules in which its sessions differ, and an optional layer that rewrites
 * every message (encryption). The upgrade picks the dialect; a session keeps it for its life.
 *
 * <p>Implementations are stateless singletons shared by every session of the dialect; what a
 * session needs for itself comes from {@link #newMessageTransform()}.
 */
public interface CryoDialect {

	/**
	 * Returns the dialect's name, for logs, metrics and configuration.
	 * @return a short lower-case name such as {@code cryo-v1}
	 */
	String name();

	/**
	 * Returns whether an upgrade request asks for this dialect: an offered subprotocol, a query
	 * parameter, or the form of the session id. Dialects are asked in a fixed order and the
	 * first that recognises a request wins.
	 * @param request the upgrade request
	 * @return whether this dialect serves the connection
	 */
	boolean recognises(UpgradeRequest request);

	/**
	 * Returns the form of this dialect that serves a recognised request: the dialect itself, or a
	 * variant with the same name that differs in its message layer. The legacy generation gives
	 * the connections on its CALE paths a variant that encrypts (legacy-v0.md §10.2).
	 * @param request the upgrade request, which this dialect recognised
	 * @return the dialect to serve the connection with; {@code this} by default
	 */
	default CryoDialect variantFor(UpgradeRequest request) {
		return this;
	}

	/**
	 * Returns how long the session id of a session of this dialect stays reserved after the
	 * session closed with a code: a failure that would repeat identically on every reconnect, which
	 * clients that reconnect at once would otherwise turn into a storm (legacy-v0.md §10.6).
	 * @param closeCode the code the session closed with, by either side
	 * @return how long upgrades with the id are refused as duplicates; zero (the default) for none
	 */
	default Duration sessionIdBlock(int closeCode) {
		return Duration.ZERO;
	}

	/**
	 * Returns how long the live session that holds a session id has to answer a ping when an
	 * authenticated upgrade of this dialect asks for the same id. The upgrade is still refused as
	 * a duplicate, but a session that does not answer is closed as dead, so a client that
	 * reconnects with its old id (cryo-client-browser does, legacy-v0.md §10.7) gets back in at its
	 * next attempt instead of waiting for the heartbeat to notice the old connection is gone.
	 * @return the time the old session has to answer; zero (the default) for no probe
	 */
	default Duration reconnectProbe() {
		return Duration.ZERO;
	}

	/**
	 * Returns the WebSocket subprotocols this dialect can be spoken under. A server announces
	 * the subprotocols of all its dialects to its WebSocket stack, so that an offered one can be
	 * answered in the 101.
	 * @return the subprotocols, empty when the dialect is not negotiated by subprotocol
	 */
	default List<String> subprotocols() {
		return List.of();
	}

	/**
	 * Returns the subprotocol to answer a recognised request with, which must be one the client
	 * offered. By default the first of {@link #subprotocols()} that the client offered.
	 * @param request the upgrade request
	 * @return the subprotocol, or {@code null} to answer without one
	 */
	default @Nullable String selectSubprotocol(UpgradeRequest request) {
		for (String subprotocol : subprotocols()) {
			if (request.offers(subprotocol)) {
				return subprotocol;
			}
		}
		return null;
	}

	/**
	 * Returns the query parameters that carry the session id, in the order they are read: the
	 * first one present is used, and no other parameter is looked at.
	 * @return the parameter names, exactly as spelled on the wire
	 */
	default List<String> sessionIdParameters() {
		return List.of("x-cryo-sid");
	}

	/**
	 * Parses the value of the session id parameter.
	 * @param value the parameter value, not empty
	 * @return the session id, or empty when the value is not a valid id of this dialect
	 */
	default Optional<SessionId> parseSessionId(String value) {
		return DecimalSessionIds.parse(value);
	}

	/**
	 * Returns the order and wording of the upgrade checks a server runs for this dialect.
	 * @return {@link UpgradeChecks#CRYO_V1} by default
	 */
	default UpgradeChecks upgradeChecks() {
		return UpgradeChecks.CRYO_V1;
	}

	/**
	 * Returns the codec for the dialect's byte layout.
	 * @return the codec, shared by every session
	 */
	WireCodec codec();

	/**
	 * Returns the largest WebSocket message a session of this dialect accepts: the codec's largest
	 * frame, plus what the dialect's message layer adds to each (CALE: 28 bytes).
	 * @return the length in bytes
	 */
	default int maxMessageLength() {
		return codec().maxMessageLength();
	}

	/**
	 * Returns the rules in which sessions of this dialect differ.
	 * @return the policy, shared by every session
	 */
	SessionPolicy policy();

	/**
	 * Creates the message transform of one new session, if the dialect has one.
	 * @return a transform for one session, or {@code null} when messages go to the codec as they are
	 */
	default @Nullable MessageTransform newMessageTransform() {
		return null;
	}

}
