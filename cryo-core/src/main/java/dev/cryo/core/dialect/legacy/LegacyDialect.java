package dev.cryo.core.dialect.legacy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.dialect.UpgradeChecks;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;

/**
 * The legacy generation ("v0", legacy-v0.md) without CALE: recognised by a UUID in
 * {@code x-cryo-sid} (§10.1 rule 1), the frames of {@link LegacyCodec}, no greeting (the session
 * is open as soon as the upgrade completes, §4), only UTF8DATA and BINARYDATA acknowledged (§5),
 * pings that take a fresh ack number which the pong copies (§6), no transactions and no BYE
 * (§10.7). Received frames mean what {@link LegacyDispatcher} says.
 *
 * <p>The sid is normalised to lower case (§10.1 rule 2): the application, the duplicate check and
 * every frame the server writes see the same id whatever case the client sent.
 */
public final class LegacyDialect implements CryoDialect, SessionPolicy {

	/** The one instance; the dialect holds no state. */
	public static final LegacyDialect INSTANCE = new LegacyDialect();

	/** The name in logs, metrics and the actuator. */
	public static final String NAME = "legacy-v0";

	/** The parameter every legacy client sends its sid in (§2). */
	public static final String SID_PARAMETER = "x-cryo-sid";

	/** The length of the canonical UUID text: 32 hex digits and four dashes. */
	private static final int UUID_TEXT_LENGTH = 36;

	private LegacyDialect() {
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * A UUID in {@code x-cryo-sid}, nothing else (§10.1 rule 1): a decimal sid stays Cryo v1, and
	 * a sid that is neither is left to v1, which refuses it with 401 {@code Invalid SID supplied.}
	 */
	@Override
	public boolean recognises(UpgradeRequest request) {
		String sid = request.queryParameter(SID_PARAMETER);
		return sid != null && isUuid(sid);
	}

	@Override
	public List<String> sessionIdParameters() {
		return List.of(SID_PARAMETER);
	}

	/** The UUID in canonical lower-case form (§10.1 rule 2); anything else is not a legacy sid. */
	@Override
	public Optional<SessionId> parseSessionId(String value) {
		if (!isUuid(value)) {
			return Optional.empty();
		}
		return Optional.of(SessionId.of(UUID.fromString(value.toLowerCase(Locale.ROOT))));
	}

	/** The 2.x server's order and messages (§10.1 rule 4): the duplicate check before the token. */
	@Override
	public UpgradeChecks upgradeChecks() {
		return UpgradeChecks.LEGACY_V0;
	}

	@Override
	public WireCodec codec() {
		return LegacyCodec.INSTANCE;
	}

	@Override
	public SessionPolicy policy() {
		return this;
	}

	/** There is no greeting (§4). */
	@Override
	public @Nullable Frame openingFrame(SessionId sid) {
		return null;
	}

	/** The session opens at the upgrade: the clients send data at once, numbered from 0 (§4). */
	@Override
	public boolean awaitsPeerOpening() {
		return false;
	}

	/** Only data frames: the clients never ACK ERROR, pings or handshake frames (§5, §10.5). */
	@Override
	public boolean isTracked(FrameType type) {
		return type == FrameType.UTF8DATA || type == FrameType.BINARYDATA;
	}

	/** A ping takes the next number of the counter and its pong copies it (§5, §6). */
	@Override
	public boolean pingCarriesAck() {
		return true;
	}

	@Override
	public TransactionFlavour transactions() {
		return TransactionFlavour.NONE;
	}

	/** No BYE: a close is 4000 with the reason, a dead client 4001 (§6, §10.7). */
	@Override
	public boolean hasGoodbye() {
		return false;
	}

	@Override
	public FrameDispatcher dispatcher() {
		return LegacyDispatcher.INSTANCE;
	}

	@Override
	public String toString() {
		return name();
	}

	/**
	 * Returns whether a value is a UUID as §10.1 rule 1 defines it: exactly 36 characters, five
	 * groups of 8-4-4-4-12 hexadecimal digits in any case, separated by {@code -}.
	 * {@link UUID#fromString} alone is too lenient (it takes shorter groups and signs).
	 * @param value the sid parameter
	 * @return whether it is a UUID
	 */
	static boolean isUuid(String value) {
		if (value.length() != UUID_TEXT_LENGTH) {
			return false;
		}
		for (int i = 0; i < UUID_TEXT_LENGTH; i++) {
			char c = value.charAt(i);
			boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
			if (dash ? c != '-' : !isHexDigit(c)) {
				return false;
			}
		}
		return true;
	}

	/** ASCII only: {@link Character#digit} would also take other scripts' digits. */
	private static boolean isHexDigit(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

}
