package dev.cryo.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * Sends one notification to every connection, on both wires, whose settings match a filter. The
 * message is encoded once; the filter is a value ({@link SettingsFilter}), not a lambda, so that
 * a multicast can be carried to the other nodes of a cluster.
 *
 * <p>In a cluster, the multicaster of the endpoint layer also publishes the filter and the encoded
 * notification once to the other nodes, each of which delivers it to its own matching
 * connections. That publication is fire-and-forget: what the other nodes reached is not known
 * when this method returns, so the count it returns is always this node's.
 */
@FunctionalInterface
public interface Multicaster {

	/**
	 * Notifies every matching connection of this node and, in a cluster, of the other nodes.
	 * @param filter which connections; in a cluster its values should be JSON values (strings,
	 * numbers, booleans, {@code null}, maps of those), since other nodes match what JSON made of it
	 * @param type the notification's type
	 * @param data written by Jackson once; {@code null} for {@code "data":null}
	 * @return how many connections of THIS node it was handed to; other nodes' deliveries are
	 * not counted
	 */
	int multicast(SettingsFilter filter, String type, @Nullable Object data);

}
