package dev.cryo.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * Sends one notification to every connection, on both wires, whose settings match a filter. The
 * message is encoded once; the filter is a value ({@link SettingsFilter}), not a lambda, so that
 * a multicast can be carried to the other nodes of a cluster.
 */
@FunctionalInterface
public interface Multicaster {

	/**
	 * Notifies every matching connection of this node.
	 * @param filter which connections
	 * @param type the notification's type
	 * @param data written by Jackson once; {@code null} for {@code "data":null}
	 * @return how many connections it was handed to
	 */
	int multicast(SettingsFilter filter, String type, @Nullable Object data);

}
