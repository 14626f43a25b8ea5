package dev.cryo.core.dialect.legacy;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.MessageTransform;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.dialect.UpgradeChecks;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.dialect.legacy.cale.CaleCipher;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;

/**
 * The legacy generation ("v0", legacy-v0.md): recognised by a UUID in {@code x-cryo-sid} (§10.1
 * rule 1), the frames of {@link LegacyCodec}, no greeting (the session is open as soon as the
 * upgrade completes, §4), only UTF8DATA and BINARYDATA acknowledged (§5), pings that take a fresh
 * ack number which the pong copies (§6), no transactions and no BYE (§10.7). Received frames mean
 * what {@link LegacyDispatcher} says.
 *
 * <p>CALE (§7) is decided by the request path (§10.2): a connection on one of the
 * {@linkplain #withCalePaths CALE paths} is served by this dialect's encrypting variant, which
 * runs the handshake of {@link CaleSessionLayer} before the session opens and encrypts every
 * message after it; every other connection is served without CALE. Both carry the name
 * {@value #NAME}. A session that ends because of CALE keeps its sid reserved for the
 * {@linkplain #sessionIdBlock block duration} (§10.6).
 *
 * <p>The sid is normalised to lower case (§10.1 rule 2): the application, the duplicate check and
 * every frame the server writes see the same id whatever case the client sent.
 */
public final class LegacyDialect implements CryoDialect, SessionPolicy {

	/** How long a sid stays blocked after a CALE failure unless configured otherwise (§10.6). */
	public static final Duration DEFAULT_CALE_FAILURE_BLOCK = Duration.ofSeconds(60);

	/**
	 * How long the old session of a reconnecting client has to answer a ping unless configured
	 * otherwise: less than the 5 s after which cryo-client-browser tries again (§2.1).
	 */
	public static final Duration DEFAULT_RECONNECT_PROBE = Duration.ofSeconds(3);

	/** The dialect without CALE paths: every legacy connection is served without CALE. */
	public static final LegacyDialect INSTANCE = new LegacyDialect(Set.of(), DEFAULT_CALE_FAILURE_BLOCK,
			DEFAULT_RECONNECT_PROBE, false);

	/** The name in logs, metrics and the actuator. */
	public static final String NAME = "legacy-v0";

	/** The parameter every legacy client sends its sid in (§2). */
	public static final String SID_PARAMETER = "x-cryo-sid";

	/** The length of the canonical UUID text: 32 hex digits and four dashes. */
	private static final int UUID_TEXT_LENGTH = 36;

	/** The close codes of CALE mismatches and handshake failures, from either side (§8, §10.6). */
	private static final Set<Integer> CALE_FAILURE_CODES = Set.of(LegacyDispatcher.CALE_MISMATCH,
			CaleSessionLayer.HANDSHAKE_FAILED, 1002);

	private final Set<String> calePaths;

	private final Duration caleFailureBlock;

	private final Duration reconnectProbe;

	private final boolean cale;

	/** The encrypting variant of a dialect with CALE paths; {@code null} for the variant itself and without paths. */
	private final @Nullable LegacyDialect caleVariant;

	private LegacyDialect(Set<String> calePaths, Duration caleFailureBlock, Duration reconnectProbe, boolean cale) {
		this.calePaths = calePaths;
		this.caleFailureBlock = caleFailureBlock;
		this.reconnectProbe = reconnectProbe;
		this.cale = cale;
		this.caleVariant = (!cale && !calePaths.isEmpty())
				? new LegacyDialect(calePaths, caleFailureBlock, reconnectProbe, true) : null;
	}

	/**
	 * Returns the dialect that serves legacy connections on the given paths with CALE and all
	 * others without (§10.2).
	 * @param calePaths the request paths within the application whose legacy connections get CALE;
	 * empty for none
	 * @param caleFailureBlock how long a sid stays reserved after its session ended because of
	 * CALE (§10.6); zero for no block
	 * @return the dialect
	 */
	public static LegacyDialect withCalePaths(Collection<String> calePaths, Duration caleFailureBlock) {
		Objects.requireNonNull(calePaths, "calePaths");
		Objects.requireNonNull(caleFailureBlock, "caleFailureBlock");
		if (caleFailureBlock.isNegative()) {
			throw new IllegalArgumentException("caleFailureBlock must not be negative");
		}
		return new LegacyDialect(Set.copyOf(calePaths), caleFailureBlock, DEFAULT_RECONNECT_PROBE, false);
	}

	/**
	 * Returns this dialect with another reconnect probe (see {@link #reconnectProbe()}).
	 * @param reconnectProbe how long the old session of a client that reconnects with its sid has
	 * to answer a ping; zero for no probe
	 * @return the dialect
	 */
	public LegacyDialect withReconnectProbe(Duration reconnectProbe) {
		Objects.requireNonNull(reconnectProbe, "reconnectProbe");
		if (reconnectProbe.isNegative()) {
			throw new IllegalArgumentException("reconnectProbe must not be negative");
		}
		return new LegacyDialect(this.calePaths, this.caleFailureBlock, reconnectProbe, this.cale);
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

	/** The encrypting variant on a CALE path (§10.2), this dialect elsewhere. */
	@Override
	public CryoDialect variantFor(UpgradeRequest request) {
		LegacyDialect variant = this.caleVariant;
		return (variant != null && this.calePaths.contains(request.path())) ? variant : this;
	}

	/**
	 * Returns whether sessions of this dialect run CALE.
	 * @return whether this is the encrypting variant
	 */
	public boolean encrypts() {
		return this.cale;
	}

	/**
	 * Returns the request paths whose legacy connections get CALE.
	 * @return the paths, empty for none
	 */
	public Set<String> calePaths() {
		return this.calePaths;
	}

	/**
	 * A session closed by either side with 4010 or 4011, or by the client with 1002 (the codes the
	 * published clients and servers use for CALE mismatches and handshake failures), keeps its sid
	 * reserved: the failure would repeat on every reconnect (§10.6).
	 */
	@Override
	public Duration sessionIdBlock(int closeCode) {
		return CALE_FAILURE_CODES.contains(closeCode) ? this.caleFailureBlock : Duration.ZERO;
	}

	/**
	 * cryo-client-browser 1.0.3+ reconnects with the same sid after any close, also after its
	 * network dropped while the server still holds the old session (§2.1, §10.7): that session
	 * must answer a ping within the probe or go, so the client's next attempt gets in.
	 */
	@Override
	public Duration reconnectProbe() {
		return this.reconnectProbe;
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

	/**
	 * Without CALE the session opens at the upgrade: the clients send data at once, numbered from 0
	 * (§4). With CALE it opens when the handshake completes, under the opening deadline (§10.3).
	 */
	@Override
	public boolean awaitsPeerOpening() {
		return this.cale;
	}

	/** Nothing leaves before a CALE handshake completes, where it would leave in plaintext (§10.3 rule 5). */
	@Override
	public boolean sendsWhileOpening() {
		return !this.cale;
	}

	/** The CALE layer adds a 12-byte IV and a 16-byte tag to every message (§7.3, §10.4). */
	@Override
	public int maxMessageLength() {
		return LegacyCodec.MAX_MESSAGE_LENGTH + (this.cale ? CaleCipher.OVERHEAD : 0);
	}

	@Override
	public @Nullable MessageTransform newMessageTransform() {
		return this.cale ? new CaleSessionLayer() : null;
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
		return this.cale ? name() + " (CALE)" : name();
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
