package dev.cryo.endpoint.support;

import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.SettingsFilter;

/**
 * TEMP placeholder of the engine for the wire branch: reaches nobody.
 */
public final class DefaultMulticaster implements Multicaster {

	/**
	 * Creates the placeholder.
	 * @param register the register
	 * @param envelopes the envelopes
	 */
	public DefaultMulticaster(ConnectionRegister register, Envelopes envelopes) {
	}

	@Override
	public int multicast(SettingsFilter filter, String type, @Nullable Object data) {
		return 0;
	}

}
