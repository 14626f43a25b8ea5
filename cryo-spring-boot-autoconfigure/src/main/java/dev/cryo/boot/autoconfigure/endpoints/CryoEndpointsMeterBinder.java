package dev.cryo.boot.autoconfigure.endpoints;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

import dev.cryo.boot.autoconfigure.metrics.ClusterTopicMeters;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.endpoint.EndpointResponse;
import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.support.ClusterMulticaster;
import dev.cryo.endpoint.support.DefaultEndpointDispatcher;
import dev.cryo.endpoint.support.EndpointDispatcher;
import dev.cryo.endpoint.support.EndpointLimitObserver;
import dev.cryo.endpoint.wire.CryoEndpointMessageHandler;
import dev.cryo.endpoint.wire.YoctopusWebSocketHandler;

/**
 * The endpoint layer's meters: the counter {@code cryo.endpoints.requests} of the responses sent,
 * tagged {@code outcome} ({@code ok} or {@code error}), counted as an {@link EndpointListener} so
 * that nothing is wrapped; the gauge {@code cryo.endpoints.connections} of the live connections,
 * tagged {@code wire}, read from the wires at each scrape so it cannot drift; the gauge
 * {@code cryo.endpoints.requests.pending} of the requests waiting for an asynchronous answer; and
 * the counter {@code cryo.endpoints.limits.exceeded}, tagged {@code limit}, of the clients a limit
 * turned away (as the {@link EndpointLimitObserver} of the dispatcher and the yoctopus wire). In a
 * cluster ({@link ClusterMulticaster}), the counter {@code cryo.endpoints.cluster.multicasts},
 * tagged {@code direction} ({@code published} to or {@code received} from other nodes), and the
 * counter {@code cryo.endpoints.cluster.multicasts.dropped}, tagged {@code reason}
 * ({@code too-large}: over {@code cryo.endpoints.cluster.max-message-size}, not published or not
 * accepted; {@code malformed}: received and unreadable; {@code publish-failed}).
 */
final class CryoEndpointsMeterBinder implements MeterBinder, EndpointListener, EndpointLimitObserver {

	static final String REQUESTS = "cryo.endpoints.requests";

	static final String CONNECTIONS = "cryo.endpoints.connections";

	static final String PENDING = "cryo.endpoints.requests.pending";

	static final String LIMITS_EXCEEDED = "cryo.endpoints.limits.exceeded";

	static final String CLUSTER_MULTICASTS = "cryo.endpoints.cluster.multicasts";

	static final String CLUSTER_MULTICASTS_DROPPED = "cryo.endpoints.cluster.multicasts.dropped";

	private final Map<String, List<Counter>> limitCounters = new ConcurrentHashMap<>();

	private final ObjectProvider<EndpointDispatcher> dispatcher;

	private final ObjectProvider<CryoEndpointMessageHandler> cryoWire;

	private final ObjectProvider<YoctopusWebSocketHandler> yoctopusWire;

	private final ObjectProvider<Multicaster> multicaster;

	private final List<Counter> ok = new CopyOnWriteArrayList<>();

	private final List<Counter> error = new CopyOnWriteArrayList<>();

	/**
	 * The wires are looked up when the meters are bound, not before: they depend on the
	 * dispatcher, which depends on this listener.
	 */
	CryoEndpointsMeterBinder(ObjectProvider<CryoEndpointMessageHandler> cryoWire,
			ObjectProvider<YoctopusWebSocketHandler> yoctopusWire, ObjectProvider<EndpointDispatcher> dispatcher,
			ObjectProvider<Multicaster> multicaster) {
		this.dispatcher = dispatcher;
		this.multicaster = multicaster;
		this.cryoWire = cryoWire;
		this.yoctopusWire = yoctopusWire;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.ok.add(requests(registry, EndpointResponse.OK));
		this.error.add(requests(registry, EndpointResponse.ERROR));
		for (String limit : EndpointLimitObserver.LIMITS) {
			this.limitCounters.computeIfAbsent(limit, (key) -> new CopyOnWriteArrayList<>())
				.add(Counter.builder(LIMITS_EXCEEDED)
					.description("Clients the endpoint layer's limits turned away")
					.tag("limit", limit)
					.register(registry));
		}
		if (this.dispatcher.getIfAvailable() instanceof DefaultEndpointDispatcher dispatcher) {
			Gauge.builder(PENDING, dispatcher, DefaultEndpointDispatcher::pendingRequests)
				.description("Requests waiting for an asynchronous answer")
				.register(registry);
		}
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
		if (this.multicaster.getIfUnique() instanceof ClusterMulticaster cluster) {
			ClusterTopicMeters.bind(registry, cluster.traffic(), CLUSTER_MULTICASTS, CLUSTER_MULTICASTS_DROPPED,
					"Multicasts");
		}
	}

	private static Counter requests(MeterRegistry registry, String outcome) {
		return Counter.builder(REQUESTS)
			.description("Responses the endpoint layer sent")
			.tag("outcome", outcome)
			.register(registry);
	}

	@Override
	public void limitExceeded(String limit) {
		this.limitCounters.getOrDefault(limit, List.of()).forEach(Counter::increment);
	}

	@Override
	public void onResponseSent(EndpointConnection connection, EndpointRequest request, EndpointResponse response) {
		(response.isOk() ? this.ok : this.error).forEach(Counter::increment);
	}

}
