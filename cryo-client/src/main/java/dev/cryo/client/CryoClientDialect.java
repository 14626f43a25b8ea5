package dev.cryo.client;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.camp.CampDialect;
import dev.cryo.core.dialect.v1.CryoV1Dialect;

/**
 * The wire dialect a client connection speaks, with what its upgrade request says about it:
 * the query parameter that carries the session id and the WebSocket subprotocol offered.
 * {@link #CRYO_V1} (the default) and {@link #CAMP} are the dialects of the Java client; both use
 * numeric session ids.
 *
 * <pre class="code">
 * CryoClient client = CryoClient.builder(URI.create("ws://localhost:8080/cryo"))
 *     .token("dev-token")
 *     .dialect(CryoClientDialect.CAMP)
 *     .build();
 * </pre>
 *
 * <p>The dialect of a connection is decided by its upgrade alone (camp.md §1 rule 4). A CAMP
 * connection offers the {@code camp} subprotocol and fails unless the server answers it: a server
 * that accepts the upgrade without answering {@code camp} has not said that it speaks CAMP, and
 * the frames of the two dialects must not be guessed from (their type codes mean different
 * things). The server that the published CAMP clients were written for reads the session id
 * only from {@code x-CAMP-sid} (upper case); {@link #withSessionIdParameter(String)} sends that
 * spelling instead of the specified {@code x-camp-sid}.
 *
 * <p>Instances are immutable; compare them with {@link #equals(Object)}.
 */
public final class CryoClientDialect {

	/**
	 * Cryo v1 (cryo-v1.md): the session id in {@code x-cryo-sid}, no subprotocol.
	 */
	public static final CryoClientDialect CRYO_V1 = new CryoClientDialect(CryoV1Dialect.INSTANCE,
			"x-cryo-sid", null);

	/**
	 * CAMP (camp.md): the session id in {@code x-camp-sid}, the {@code camp} subprotocol offered and
	 * required in the answer, 1 MiB payloads, 13-byte pings, push or pull chosen per transaction.
	 */
	public static final CryoClientDialect CAMP = new CryoClientDialect(CampDialect.INSTANCE,
			CampDialect.SID_PARAMETER, CampDialect.SUBPROTOCOL);

	/** Every spelling of a session id parameter of any dialect: none of them is the application's to set. */
	static final List<String> SESSION_ID_PARAMETERS = List.of(CryoConnector.SID_PARAMETER, CampDialect.SID_PARAMETER,
			CampDialect.REFERENCE_SID_PARAMETER);

	private final CryoDialect dialect;

	private final String sessionIdParameter;

	private final @Nullable String subprotocol;

	private CryoClientDialect(CryoDialect dialect, String sessionIdParameter, @Nullable String subprotocol) {
		this.dialect = dialect;
		this.sessionIdParameter = sessionIdParameter;
		this.subprotocol = subprotocol;
	}

	/**
	 * Returns this dialect with the session id sent in another query parameter: one of the
	 * spellings the dialect defines. For CAMP, {@code x-CAMP-sid} reaches the CAMP reference
	 * server (camp-server 1.0.x), which reads only that spelling and refuses {@code x-camp-sid}
	 * with 401 {@code No SID supplied.}; servers that follow camp.md, ours included, read both.
	 * @param parameter the parameter name, exactly as it goes on the wire
	 * @return the dialect sending the session id in that parameter
	 * @throws IllegalArgumentException if the dialect does not read its session id from that
	 * parameter
	 */
	public CryoClientDialect withSessionIdParameter(String parameter) {
		Objects.requireNonNull(parameter, "parameter");
		if (!this.dialect.sessionIdParameters().contains(parameter)) {
			throw new IllegalArgumentException("The " + name() + " dialect takes its session id from "
					+ String.join(" or ", this.dialect.sessionIdParameters()) + ", not from '" + parameter + "'");
		}
		return parameter.equals(this.sessionIdParameter) ? this
				: new CryoClientDialect(this.dialect, parameter, this.subprotocol);
	}

	/**
	 * Returns the dialect's name, as the server's metrics and logs show it.
	 * @return {@code cryo-v1} or {@code camp}
	 */
	public String name() {
		return this.dialect.name();
	}

	/**
	 * Returns the engine's dialect: codec, limits and session rules.
	 * @return the core dialect
	 */
	public CryoDialect wireDialect() {
		return this.dialect;
	}

	/**
	 * Returns the query parameter that carries the session id.
	 * @return the parameter name
	 */
	public String sessionIdParameter() {
		return this.sessionIdParameter;
	}

	/**
	 * Returns the WebSocket subprotocol the upgrade offers, which the server must answer.
	 * @return the subprotocol, or {@code null} when none is offered
	 */
	public @Nullable String subprotocol() {
		return this.subprotocol;
	}

	/**
	 * Returns the largest variable part (text, binary payload, error message, chunk) a frame of
	 * this dialect may carry.
	 * @return 16 MiB for Cryo v1, 1 MiB for CAMP
	 */
	public int maxPayload() {
		return this.dialect.codec().maxPayload();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof CryoClientDialect that && this.dialect.equals(that.dialect)
				&& this.sessionIdParameter.equals(that.sessionIdParameter)
				&& Objects.equals(this.subprotocol, that.subprotocol);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.dialect, this.sessionIdParameter, this.subprotocol);
	}

	@Override
	public String toString() {
		return name() + "[" + this.sessionIdParameter + ((this.subprotocol != null) ? ", " + this.subprotocol : "")
				+ "]";
	}

}
