package dev.cryo.livedata;

import java.util.List;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointException;

/**
 * Subscribes connections to live data, for handlers: what the bundled {@code live-data} plugin's
 * {@code subscription} endpoint offers to clients. A connection subscribed to a model receives
 * every committed change of its rows; one subscribed to a row receives that row's changes; one
 * with both receives each change once. Subscriptions end with the connection.
 */
public interface LiveDataSubscriptions {

	/**
	 * Subscribes a connection to every row of a model.
	 * @param connection the connection
	 * @param model the model's name
	 * @return whether the subscription is new
	 * @throws EndpointException when the model is unknown or the connection has too many
	 * subscriptions
	 */
	boolean subscribe(EndpointConnection connection, String model);

	/**
	 * Subscribes a connection to one row of a model.
	 * @param connection the connection
	 * @param model the model's name
	 * @param id the row's id, converted to the entity's id type ({@code "42"} and {@code 42}
	 * name the same {@code Long} id)
	 * @return whether the subscription is new
	 * @throws EndpointException when the model is unknown, the id cannot be converted or the
	 * connection has too many subscriptions
	 */
	boolean subscribe(EndpointConnection connection, String model, Object id);

	/**
	 * Ends a connection's subscription to a whole model (its row subscriptions stay).
	 * @param connection the connection
	 * @param model the model's name
	 * @return whether there was such a subscription
	 * @throws EndpointException when the model is unknown
	 */
	boolean unsubscribe(EndpointConnection connection, String model);

	/**
	 * Ends a connection's subscription to one row.
	 * @param connection the connection
	 * @param model the model's name
	 * @param id the row's id
	 * @return whether there was such a subscription
	 * @throws EndpointException when the model is unknown or the id cannot be converted
	 */
	boolean unsubscribe(EndpointConnection connection, String model, Object id);

	/**
	 * Returns a connection's subscriptions, in the order they were made.
	 * @param connection the connection
	 * @return a snapshot
	 */
	List<LiveDataSubscription> subscriptions(EndpointConnection connection);

	/**
	 * Returns the names of the watched models.
	 * @return the names, sorted
	 */
	List<String> models();

}
