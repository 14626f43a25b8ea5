package dev.cryo.boot.autoconfigure.endpoints;

import org.springframework.context.ApplicationListener;

import dev.cryo.endpoint.wire.CryoEndpointMessageHandler;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoSessionEvent;

/**
 * Tells the Cryo wire when sessions connect and close, so that each session's endpoint connection
 * lives exactly as long as the session.
 */
final class CryoEndpointsSessionEvents implements ApplicationListener<CryoSessionEvent> {

	private final CryoEndpointMessageHandler handler;

	CryoEndpointsSessionEvents(CryoEndpointMessageHandler handler) {
		this.handler = handler;
	}

	@Override
	public void onApplicationEvent(CryoSessionEvent event) {
		if (event instanceof CryoSessionConnectedEvent) {
			this.handler.sessionConnected(event.session());
		}
		else if (event instanceof CryoSessionClosedEvent) {
			this.handler.sessionClosed(event.session());
		}
	}

}
