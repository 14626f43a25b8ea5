package dev.cryo.endpoint.wire;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.EndpointDispatcher;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.server.CryoSession;

/**
 * The endpoint connection of one Cryo session. The session does not tell whether it arrived over
 * TLS nor on which local port, so {@link #isSecure()} is {@code false} and {@link #localPort()}
 * is {@code -1}.
 */
final class CryoEndpointConnection implements EndpointConnection {

	private final CryoSession session;

	private final Envelopes envelopes;

	private final ConnectionSettings settings;

	private volatile boolean closed;

	private volatile boolean announced;

	CryoEndpointConnection(CryoSession session, Envelopes envelopes, EndpointDispatcher dispatcher) {
		this.session = session;
		this.envelopes = envelopes;
		// Last, so that the settings' owner is complete but for its settings.
		this.settings = dispatcher.createSettings(this);
	}

	@Override
	public String id() {
		return this.session.idString();
	}

	@Override
	public String wire() {
		return CRYO_WIRE;
	}

	@Override
	public @Nullable Principal principal() {
		return this.session.principal();
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.session.remoteAddress();
	}

	@Override
	public boolean isSecure() {
		return false;
	}

	@Override
	public int localPort() {
		return -1;
	}

	@Override
	public ConnectionSettings settings() {
		return this.settings;
	}

	@Override
	public boolean isOpen() {
		return !this.closed && this.session.isOpen();
	}

	@Override
	public CompletableFuture<Void> sendText(String json) {
		try {
			return this.session.sendUtf8(json);
		}
		catch (RuntimeException ex) {
			// A message beyond the dialect's payload limit is refused before anything is queued.
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Void> notify(String type, @Nullable Object data) {
		String json;
		try {
			json = this.envelopes.notification(type, data);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return sendText(json);
	}

	@Override
	public CryoSession cryoSession() {
		return this.session;
	}

	@Override
	public void close(String reason) {
		this.session.close(reason);
	}

	/**
	 * Tells the dispatcher that the connection opened, once, whichever thread asks first; the others
	 * return only after it did.
	 */
	void announce(EndpointDispatcher dispatcher) {
		if (this.announced) {
			return;
		}
		synchronized (this) {
			if (!this.announced) {
				dispatcher.opened(this);
				this.announced = true;
			}
		}
	}

	void markClosed() {
		this.closed = true;
	}

	@Override
	public String toString() {
		return "CryoEndpointConnection[" + id() + "]";
	}

}
