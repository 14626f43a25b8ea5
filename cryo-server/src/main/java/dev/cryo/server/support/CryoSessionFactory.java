package dev.cryo.server.support;

import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.engine.CryoTransport;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.server.ReceiveLimits;
import dev.cryo.server.observer.CryoServerObserver;

/**
 * Turns an accepted WebSocket connection with a reserved session id into a running server
 * session. Used by the transport; applications do not call it.
 */
public final class CryoSessionFactory {

	private final ServerResources resources;

	private final CryoDialects dialects;

	private final ReceiveLimits receiveLimits;

	private final ReassemblyBudget reassemblyBudget;

	CryoSessionFactory(ServerResources resources, CryoDialects dialects, ReceiveLimits receiveLimits) {
		this.resources = resources;
		this.dialects = dialects;
		this.receiveLimits = receiveLimits;
		this.reassemblyBudget = new ReassemblyBudget(receiveLimits.reassemblyBudget());
	}

	/**
	 * Creates the session for a reservation. Nothing is sent until the caller
	 * {@linkplain SessionConnection#start() starts} it, which it does only once its close
	 * callback can find the session: the first write may already fail.
	 * @param reservation the session id reserved during the handshake
	 * @param dialect the dialect the upgrade chose; the session speaks it for its life
	 * @param transport the connection
	 * @param remoteAddress the peer's address, if known
	 * @return the session's connection, or {@code null} when the reservation is no longer held
	 */
	public @Nullable SessionConnection create(CryoSessionRegistry.Reservation reservation, CryoDialect dialect,
			CryoTransport transport, @Nullable InetSocketAddress remoteAddress) {
		if (!this.resources.registry().isHeld(reservation)) {
			return null;
		}
		ServerSession session = new ServerSession(reservation, dialect, transport, remoteAddress, this.resources,
				false);
		// Counted before anything is sent: the session may close, and report it, at once.
		this.resources.observer().sessionOpened(dialect.name());
		return session;
	}

	/**
	 * Creates the session of a link this server opens to another server. The caller starts it;
	 * it becomes live in the registry once its handshake is done.
	 * @param reservation the session id reserved for the link
	 * @param dialect the dialect of the link (Cryo v1 or CAMP), which the upgrade agreed on
	 * @param options the options of the link's session: the server's, with the link's first-frame
	 * delay and transaction layout
	 * @param transport the connection
	 * @param remoteAddress the other server's address
	 * @return the session, not started
	 */
	ServerSession createPeer(CryoSessionRegistry.Reservation reservation, CryoDialect dialect, SessionOptions options,
			CryoTransport transport, @Nullable InetSocketAddress remoteAddress) {
		ServerSession session = new ServerSession(reservation, dialect, options, transport, remoteAddress,
				this.resources, true);
		this.resources.observer().sessionOpened(session.dialect());
		return session;
	}

	/**
	 * Returns the shared timer of the server's sessions.
	 * @return the scheduler
	 */
	ScheduledExecutorService scheduler() {
		return this.resources.scheduler();
	}

	/**
	 * Returns the options every session is created with.
	 * @return the session options
	 */
	public SessionOptions options() {
		return this.resources.options();
	}

	/**
	 * Returns the observer every session reports to.
	 * @return the observer, {@link CryoServerObserver#NOOP} when none was given
	 */
	public CryoServerObserver observer() {
		return this.resources.observer();
	}

	/**
	 * Returns the largest message a session accepts and the size of the reassembly budget.
	 * @return the receive limits of the server
	 */
	public ReceiveLimits receiveLimits() {
		return this.receiveLimits;
	}

	/**
	 * Returns the budget that every connection of the server reserves from while it reassembles
	 * a message.
	 * @return the server's one budget
	 */
	public ReassemblyBudget reassemblyBudget() {
		return this.reassemblyBudget;
	}

	/**
	 * Returns the dialects the server speaks, in the order the upgrade asks them.
	 * @return the dialects, v1 last
	 */
	public CryoDialects dialects() {
		return this.dialects;
	}

	/**
	 * Returns the registry the factory registers sessions in.
	 * @return the registry
	 */
	public CryoSessionRegistry registry() {
		return this.resources.registry();
	}

}
