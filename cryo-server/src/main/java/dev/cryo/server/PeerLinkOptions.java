package dev.cryo.server;

import java.time.Duration;
import java.util.Objects;

import dev.cryo.client.CryoClientDialect;
import dev.cryo.core.frame.TransactionLayout;

/**
 * How {@link CryoServer#connectPeer(java.net.URI, String, PeerLinkOptions)} opens a link to
 * another server: in which dialect, with which Cryo v1 transaction layout, how long it may take,
 * and when this server's first frame goes out.
 *
 * <pre class="code">
 * // A CAMP server (camp.md):
 * server.connectPeer(uri, token, PeerLinkOptions.DEFAULTS.withDialect(CryoClientDialect.CAMP));
 * // A reference cryo-server 3.0.x, which speaks only the 1.4 layouts (cryo-v1.md §10.5 rule 4):
 * server.connectPeer(uri, token, PeerLinkOptions.DEFAULTS.withTransactionLayout(TransactionLayout.CRYO_PROTOCOL_1_4));
 * </pre>
 *
 * @param dialect the dialect of the link: {@link CryoClientDialect#CRYO_V1} (default) or
 * {@link CryoClientDialect#CAMP}, the latter offering the {@code camp} subprotocol and requiring
 * it in the answer
 * @param transactionLayout the Cryo v1 transaction layout of the link (cryo-v1.md §10.5 rule 4):
 * {@link TransactionLayout#SEED} (default) or {@link TransactionLayout#CRYO_PROTOCOL_1_4}, which
 * a reference cryo-server 3.0.x needs. On a 1.4 link this server sends TX_START with size −1 and
 * numbered chunks, never asks for pull mode, and starts no transaction before the other server
 * ACKed its ENDPOINT_INFO (as every link does). A CAMP link has CAMP's own layout and takes
 * {@code SEED} here
 * @param connectTimeout the limit from the TCP connect to the established link; default 10 s
 * @param firstFrameDelay how long after the WebSocket opened this server writes its first frame;
 * default zero, since on a link this server is the client: it has read the 101 already, and the
 * server it connects to reads from the start (the delay of cryo-v1.md §3 rule 2 is for clients
 * that read late). The server's own {@code firstFrameDelay} applies to the connections it accepts
 * only
 */
public record PeerLinkOptions(CryoClientDialect dialect, TransactionLayout transactionLayout, Duration connectTimeout,
		Duration firstFrameDelay) {

	/** A Cryo v1 link in the seed layout, 10 s to connect, the first frame at once. */
	public static final PeerLinkOptions DEFAULTS = new PeerLinkOptions(CryoClientDialect.CRYO_V1, TransactionLayout.SEED,
			Duration.ofSeconds(10), Duration.ZERO);

	public PeerLinkOptions {
		Objects.requireNonNull(dialect, "dialect");
		Objects.requireNonNull(transactionLayout, "transactionLayout");
		Objects.requireNonNull(connectTimeout, "connectTimeout");
		Objects.requireNonNull(firstFrameDelay, "firstFrameDelay");
		if (transactionLayout == TransactionLayout.CAMP) {
			throw new IllegalArgumentException(
					"transactionLayout is a Cryo v1 layout: seed or cryo-protocol 1.4; a CAMP link has its own");
		}
		if (transactionLayout != TransactionLayout.SEED && !CryoClientDialect.CRYO_V1.wireDialect()
			.equals(dialect.wireDialect())) {
			throw new IllegalArgumentException("The transaction layout " + transactionLayout
					+ " is a Cryo v1 option; a " + dialect.name() + " link has its own");
		}
		if (connectTimeout.isNegative() || connectTimeout.isZero()) {
			throw new IllegalArgumentException("connectTimeout must be positive");
		}
		if (firstFrameDelay.isNegative()) {
			throw new IllegalArgumentException("firstFrameDelay must not be negative");
		}
	}

	/**
	 * Returns these options with another dialect.
	 * @param dialect the dialect
	 * @return the options
	 */
	public PeerLinkOptions withDialect(CryoClientDialect dialect) {
		return new PeerLinkOptions(dialect, this.transactionLayout, this.connectTimeout, this.firstFrameDelay);
	}

	/**
	 * Returns these options with another Cryo v1 transaction layout.
	 * @param transactionLayout {@code SEED} or {@code CRYO_PROTOCOL_1_4}
	 * @return the options
	 */
	public PeerLinkOptions withTransactionLayout(TransactionLayout transactionLayout) {
		return new PeerLinkOptions(this.dialect, transactionLayout, this.connectTimeout, this.firstFrameDelay);
	}

	/**
	 * Returns these options with another connect timeout.
	 * @param connectTimeout the limit from the TCP connect to the established link
	 * @return the options
	 */
	public PeerLinkOptions withConnectTimeout(Duration connectTimeout) {
		return new PeerLinkOptions(this.dialect, this.transactionLayout, connectTimeout, this.firstFrameDelay);
	}

	/**
	 * Returns these options with another first-frame delay.
	 * @param firstFrameDelay how long after the WebSocket opened the first frame is written
	 * @return the options
	 */
	public PeerLinkOptions withFirstFrameDelay(Duration firstFrameDelay) {
		return new PeerLinkOptions(this.dialect, this.transactionLayout, this.connectTimeout, firstFrameDelay);
	}

}
