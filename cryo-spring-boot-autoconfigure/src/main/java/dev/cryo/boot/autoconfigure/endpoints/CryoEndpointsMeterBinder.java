package dev.cryo.boot.autoconfigure.endpoints;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.endpoint.EndpointResponse;
import dev.cryo.endpoint.wire.CryoEndpointMessageHandler;
import dev.cryo.endpoint.wire.YoctopusWebSocketHandler;

/**
 * The endpoint layer's meters: the counter {@code cryo.endpoints.requests} of the responses sent,
 * tagged {@code outcome} ({@code ok} or {@code error}), counted as an {@link EndpointListener} so
 * that nothing is wrapped; and the gauge {@code cryo.endpoints.connections} of the live
 * connections, tagged {@code wire}, read from the wires at each scrape so it cannot drift.
 */
final class CryoEndpointsMeterBinder implements MeterBinder, EndpointListener {

	static final String REQUESTS = "cryo.endpoints.requests";

	static final String CONNECTIONS = "cryo.endpoints.connections";

	private final ObjectProvider<CryoEndpointMessageHandler> cryoWire;

	private final ObjectProvider<YoctopusWebSocketHandler> yoctopusWire;

	private final List<Counter> ok = new CopyOnWriteArrayList<>();

	private final List<Counter> error = new CopyOnWriteArrayList<>();

	/**
	 * The wires are looked up when the meters are bound, not before: they depend on the
	 * dispatcher, which depends on this listener.
	 */
	CryoEndpointsMeterBinder(ObjectProvider<CryoEndpointMessageHandler> cryoWire,
			ObjectProvider<YoctopusWebSocketHandler> yoctopusWire) {
		this.cryoWire = cryoWire;
		this.yoctopusWire = yoctopusWire;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.ok.add(requests(registry, EndpointResponse.OK));
		this.error.add(requests(registry, EndpointResponse.ERROR));
		CryoEndpointMessageHandler cryo = this.cryoWire.getIfAvailable();
		if (cryo != null) {
			Gauge.builder(CONNECTIONS, cryo, CryoEndpointMessageHandler::connectionCount)
				.description("Live connections of the endpoint layer")
				.tag("wire", EndpointConnection.CRYO_WIRE)
				.register(registry);
		}
		YoctopusWebSocketHandler yoctopus = this.yoctopusWire.getIfAvailable();
		if (yoctopus != null) {
			Gauge.builder(CONNECTIONS, yoctopus, YoctopusWebSocketHandler::connectionCount)
				.description("Live connections of the endpoint layer")
				.tag("wire", EndpointConnection.YOCTOPUS_WIRE)
				.register(registry);
		}
	}

	private static Counter requests(MeterRegistry registry, String outcome) {
		return Counter.builder(REQUESTS)
			.description("Responses the endpoint layer sent")
			.tag("outcome", outcome)
			.register(registry);
	}

	@Override
	public void onResponseSent(EndpointConnection connection, EndpointRequest request, EndpointResponse response) {
		(response.isOk() ? this.ok : this.error).forEach(Counter::increment);
	}

}
