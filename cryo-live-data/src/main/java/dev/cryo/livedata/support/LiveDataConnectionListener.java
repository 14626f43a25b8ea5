package dev.cryo.livedata.support;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointListener;

/**
 * Ties subscriptions to connections: a connection that opens is subscribed to the models declared
 * {@code autoSubscribe}; one that closes loses every subscription, so nothing is sent to it or
 * kept for it afterwards.
 */
public final class LiveDataConnectionListener implements EndpointListener {

	private final SubscriptionRegistry registry;

	LiveDataConnectionListener(SubscriptionRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onConnectionOpened(EndpointConnection connection) {
		this.registry.autoSubscribe(connection);
	}

	@Override
	public void onConnectionClosed(EndpointConnection connection) {
		this.registry.forget(connection);
	}

}
