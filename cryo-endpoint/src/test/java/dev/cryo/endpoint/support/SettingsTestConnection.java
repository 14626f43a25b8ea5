package dev.cryo.endpoint.support;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.testing.RecordingConnection;

/**
 * A connection for the settings, multicast and plugin tests: its settings come from a
 * {@link SettingsFactory}, and its sends can be made to fail at once or later.
 */
public final class SettingsTestConnection extends RecordingConnection {

	private volatile @Nullable RuntimeException refusal;

	private volatile @Nullable Exception lateFailure;

	public SettingsTestConnection(String id) {
		super(id);
	}

	public SettingsTestConnection(String id, String wire) {
		super(id, wire);
	}

	/** Creates the connection's settings with the factory. */
	public SettingsTestConnection withSettings(SettingsFactory factory) {
		setSettings(factory.create(this));
		return this;
	}

	public SettingsTestConnection withTransport(@Nullable InetSocketAddress remoteAddress, boolean secure,
			int localPort) {
		setTransport(remoteAddress, secure, localPort);
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

	/** Returns what was sent so far, in order. */
	public List<String> sent() {
		return List.copyOf(texts());
	}

	@Override
	public CompletableFuture<Void> sendText(String json) {
		RuntimeException refused = this.refusal;
		if (refused != null) {
			throw refused;
		}
		super.sendText(json);
		Exception failure = this.lateFailure;
		return (failure != null) ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(null);
	}

}
