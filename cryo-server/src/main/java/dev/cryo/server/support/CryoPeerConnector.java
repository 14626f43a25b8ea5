package dev.cryo.server.support;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import dev.cryo.client.CryoClientDialect;
import dev.cryo.client.CryoConnector;
import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.server.CryoSession;
import dev.cryo.server.PeerLinkOptions;

/**
 * Opens links from this server to other Cryo or CAMP servers (camp-server's ConnectPeer). The
 * link is a session like any other: in the registry, under the heartbeat, through the extension
 * chain, publishing the usual events, and marked {@linkplain CryoSession#isPeer() as a peer}. On
 * it this server plays the client: it picks a random session id, authenticates with a bearer
 * token, answers the other server's pings and writes its first frame without the delay it keeps
 * for the clients it accepts; the session engine is the same.
 */
final class CryoPeerConnector {

	private static final SecureRandom sids = new SecureRandom();

	/** Give up finding a free random id after this many tries: only a nearly full 2^64 space collides so often. */
	private static final int MAX_SID_TRIES = 16;

	private final CryoSessionFactory factory;

	private volatile @Nullable CryoConnector connector;

	/**
	 * Creates a connector.
	 * @param factory the server's session factory
	 */
	CryoPeerConnector(CryoSessionFactory factory) {
		this.factory = factory;
	}

	/**
	 * Connects to another Cryo server.
	 * @param endpoint its Cryo endpoint, {@code ws:} or {@code wss:}
	 * @param token the bearer token it accepts
	 * @param options the dialect, layout, timeout and first-frame delay of the link
	 * @return completes with the session once established; fails with a
	 * {@link dev.cryo.client.CryoConnectException}, or a {@link ReservationRefusedException}
	 * when this server is full or shutting down
	 */
	CompletableFuture<CryoSession> connect(URI endpoint, String token, PeerLinkOptions options) {
		CryoSessionRegistry registry = this.factory.registry();
		CryoSessionRegistry.@Nullable Reservation reservation;
		try {
			reservation = reserveRandomSid(registry);
		}
		catch (ReservationRefusedException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (reservation == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("No free session id found"));
		}
		AtomicReference<@Nullable ServerSession> created = new AtomicReference<>();
		CryoClientDialect dialect = options.dialect();
		SessionOptions sessionOptions = this.factory.options()
			.withFirstFrameDelay(options.firstFrameDelay())
			.withTransactionLayout(options.transactionLayout());
		CompletableFuture<CryoSession> connected;
		try {
			connected = connector()
				.connect(endpoint, token, reservation.sid(), Map.of(), options.connectTimeout(), dialect, (transport) -> {
					ServerSession session = this.factory.createPeer(reservation, dialect.wireDialect(), sessionOptions,
							transport, address(endpoint));
					created.set(session);
					return session.protocol();
				})
				.thenApply((protocol) -> (CryoSession) created.get());
		}
		catch (RuntimeException ex) {
			registry.release(reservation);
			return CompletableFuture.failedFuture(ex);
		}
		return connected.whenComplete((session, failure) -> {
			if (failure != null) {
				// A link that never opened has no session to release its id.
				registry.release(reservation);
			}
		});
	}

	private static CryoSessionRegistry.@Nullable Reservation reserveRandomSid(CryoSessionRegistry registry) {
		for (int i = 0; i < MAX_SID_TRIES; i++) {
			CryoSessionRegistry.Reservation reservation = registry.reserve(SessionId.of(sids.nextLong()));
			if (reservation != null) {
				return reservation;
			}
		}
		return null;
	}

	private CryoConnector connector() {
		CryoConnector existing = this.connector;
		if (existing != null) {
			return existing;
		}
		synchronized (this) {
			if (this.connector == null) {
				// Created on first use: most servers never link to a peer and need no HTTP client thread.
				this.connector = new CryoConnector(HttpClient.newHttpClient(), this.factory.scheduler(),
						this.factory.options().closeTimeout());
			}
			return this.connector;
		}
	}

	private static InetSocketAddress address(URI endpoint) {
		int port = endpoint.getPort();
		if (port < 0) {
			port = "wss".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
		}
		return InetSocketAddress.createUnresolved(endpoint.getHost(), port);
	}

}
