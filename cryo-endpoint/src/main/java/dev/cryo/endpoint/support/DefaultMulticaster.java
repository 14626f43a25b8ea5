package dev.cryo.endpoint.support;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.SettingsFilter;

/**
 * The {@link Multicaster} of this node: writes the notification once and hands the same text to
 * every open connection of the {@link ConnectionRegister} whose settings match the filter.
 */
public final class DefaultMulticaster implements Multicaster {

	private static final Log logger = LogFactory.getLog(DefaultMulticaster.class);

	private final ConnectionRegister register;

	private final Envelopes envelopes;

	/**
	 * Creates the multicaster.
	 * @param register the connections
	 * @param envelopes writes the notification
	 */
	public DefaultMulticaster(ConnectionRegister register, Envelopes envelopes) {
		Assert.notNull(register, "'register' must not be null");
		Assert.notNull(envelopes, "'envelopes' must not be null");
		this.register = register;
		this.envelopes = envelopes;
	}

	/**
	 * Notifies every open matching connection of this node. A connection whose transport refuses
	 * the message at once is not counted; one whose send fails later is counted (it was handed
	 * over) and the failure is logged.
	 * @param filter which connections
	 * @param type the notification's type
	 * @param data written once
	 * @return how many connections the message was handed to
	 */
	@Override
	public int multicast(SettingsFilter filter, String type, @Nullable Object data) {
		Assert.notNull(filter, "'filter' must not be null");
		Assert.hasText(type, "'type' must not be empty");
		// Written on the first match only: a multicast that reaches nobody costs no encoding.
		return deliver(filter, () -> this.envelopes.notification(type, data));
	}

	/**
	 * Hands a notification's text to every open matching connection of this node; how a
	 * multicast that arrives from another node is delivered, and this node's part of every
	 * multicast.
	 * @param filter which connections
	 * @param text supplies the notification's text, called at most once, on the first match
	 * @return how many connections the text was handed to
	 */
	int deliver(SettingsFilter filter, Supplier<String> text) {
		String json = null;
		int count = 0;
		for (EndpointConnection connection : this.register.connections()) {
			if (!connection.isOpen() || !filter.matches(connection.settings())) {
				continue;
			}
			if (json == null) {
				json = text.get();
			}
			try {
				connection.sendText(json).whenComplete((result, failure) -> {
					if (failure != null && logger.isDebugEnabled()) {
						logger.debug("Multicast to connection " + connection.id() + " failed", failure);
					}
				});
				count++;
			}
			catch (RuntimeException ex) {
				// A connection closing while the multicast runs is usual; the others still get it.
				if (logger.isDebugEnabled()) {
					logger.debug("Multicast to connection " + connection.id() + " was refused", ex);
				}
			}
		}
		return count;
	}

}
