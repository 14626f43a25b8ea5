package dev.cryo.livedata.support;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.EndpointContext;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.livedata.LiveDataSubscription;
import dev.cryo.livedata.LiveDataSubscriptions;

/**
 * The bundled {@value #NAME} plugin: its endpoint {@value #ENDPOINT} lets a client subscribe
 * ({@code create}), unsubscribe ({@code delete}) and list its subscriptions ({@code read}).
 * {@code create} and {@code delete} take {@code {"model":"Post"}} for every row of a model or
 * {@code {"model":"Post","id":42}} for one row; each method answers with the connection's
 * subscriptions afterwards, {@code {"subscriptions":[{"model":"Post"},{"model":"Post","id":42}]}}.
 */
public final class LiveDataPlugin {

	/** The plugin's name. */
	public static final String NAME = "live-data";

	/** The endpoint's name. */
	public static final String ENDPOINT = "subscription";

	private LiveDataPlugin() {
	}

	/**
	 * Builds the plugin's definition.
	 * @param subscriptions the subscriptions it changes
	 * @return the definition, to register with the {@link dev.cryo.endpoint.EndpointRegistry}
	 */
	public static PluginDefinition definition(LiveDataSubscriptions subscriptions) {
		return PluginDefinition.builder(NAME)
			.endpoint(ENDPOINT, (endpoint) -> endpoint
				.method("create", SubscriptionRequest.class,
						(context, body) -> subscribe(subscriptions, context, body))
				.method("delete", SubscriptionRequest.class,
						(context, body) -> unsubscribe(subscriptions, context, body))
				.method("read", null, (context, body) -> list(subscriptions, context)))
			.build();
	}

	private static Map<String, List<LiveDataSubscription>> subscribe(LiveDataSubscriptions subscriptions,
			EndpointContext context, @Nullable SubscriptionRequest body) {
		SubscriptionRequest request = require(body);
		Object id = request.id();
		if (id != null) {
			subscriptions.subscribe(context.connection(), request.model(), id);
		}
		else {
			subscriptions.subscribe(context.connection(), request.model());
		}
		return list(subscriptions, context);
	}

	private static Map<String, List<LiveDataSubscription>> unsubscribe(LiveDataSubscriptions subscriptions,
			EndpointContext context, @Nullable SubscriptionRequest body) {
		SubscriptionRequest request = require(body);
		Object id = request.id();
		if (id != null) {
			subscriptions.unsubscribe(context.connection(), request.model(), id);
		}
		else {
			subscriptions.unsubscribe(context.connection(), request.model());
		}
		return list(subscriptions, context);
	}

	private static Map<String, List<LiveDataSubscription>> list(LiveDataSubscriptions subscriptions,
			EndpointContext context) {
		return Map.of("subscriptions", subscriptions.subscriptions(context.connection()));
	}

	private static SubscriptionRequest require(@Nullable SubscriptionRequest body) {
		if (body == null || body.model() == null || body.model().isEmpty()) {
			throw new EndpointException("'model' is required.");
		}
		return body;
	}

	/**
	 * The body of {@code create} and {@code delete}.
	 *
	 * @param model the model's name
	 * @param id the row's id (a number or a string), {@code null} for every row
	 */
	public record SubscriptionRequest(@Nullable String model, @Nullable Object id) {

	}

}
