package dev.cryo.endpoint.support;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.server.CryoSession;

/**
 * An in-memory {@link EndpointConnection} for the settings, multicast and plugin tests: records
 * what is sent; its settings come from a {@link SettingsFactory}.
 */
public final class SettingsTestConnection implements EndpointConnection {

	private static final Envelopes ENVELOPES = new Envelopes(JsonMapper.builder().build());

	private final String id;

	private final String wire;

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private @Nullable ConnectionSettings settings;

	private @Nullable InetSocketAddress remoteAddress;

	private boolean secure;

	private int localPort = -1;

	private volatile boolean open = true;

	private volatile @Nullable RuntimeException refusal;

	private volatile @Nullable Exception lateFailure;

	public SettingsTestConnection(String id) {
		this(id, EndpointConnection.YOCTOPUS_WIRE);
	}

	public SettingsTestConnection(String id, String wire) {
		this.id = id;
		this.wire = wire;
	}

	/** Creates the connection's settings with the factory. */
	public SettingsTestConnection withSettings(SettingsFactory factory) {
		this.settings = factory.create(this);
		return this;
	}

	public SettingsTestConnection withTransport(@Nullable InetSocketAddress remoteAddress, boolean secure,
			int localPort) {
		this.remoteAddress = remoteAddress;
		this.secure = secure;
		this.localPort = localPort;
		return this;
	}

	/** Makes sendText throw at once. */
	public void refuseSends(RuntimeException refusal) {
		this.refusal = refusal;
	}

	/** Makes sendText's future fail. */
	public void failSendsLater(Exception failure) {
		this.lateFailure = failure;
	}

	public void setOpen(boolean open) {
		this.open = open;
	}

	public List<String> sent() {
		return this.sent;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String wire() {
		return this.wire;
	}

	@Override
	public @Nullable Principal principal() {
		return null;
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public boolean isSecure() {
		return this.secure;
	}

	@Override
	public int localPort() {
		return this.localPort;
	}

	@Override
	public ConnectionSettings settings() {
		if (this.settings == null) {
			throw new IllegalStateException("No settings: call withSettings first");
		}
		return this.settings;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public CompletableFuture<Void> sendText(String json) {
		RuntimeException refused = this.refusal;
		if (refused != null) {
			throw refused;
		}
		this.sent.add(json);
		Exception failure = this.lateFailure;
		return (failure != null) ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(null);
	}

	@Override
	public @Nullable CryoSession cryoSession() {
		return null;
	}

	@Override
	public void close(String reason) {
		this.open = false;
	}

	@Override
	public CompletableFuture<Void> notify(String type, @Nullable Object data) {
		return sendText(ENVELOPES.notification(type, data));
	}

	@Override
	public String toString() {
		return "SettingsTestConnection[" + this.wire + ":" + this.id + "]";
	}

}
