package dev.cryo.endpoint;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Sends a server push to one connection, in yoctopus's shape
 * {@code {"meta":{"method":"notify","type":"<type>"},"data":<data>}}.
 */
@FunctionalInterface
public interface Notifier {

	/**
	 * Notifies the connection.
	 * @param type the notification's type
	 * @param data written by Jackson; {@code null} for {@code "data":null}
	 * @return completes when the transport took the message, or exceptionally when it could not
	 */
	CompletableFuture<Void> notify(String type, @Nullable Object data);

}
