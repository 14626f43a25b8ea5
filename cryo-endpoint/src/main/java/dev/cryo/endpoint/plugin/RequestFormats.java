package dev.cryo.endpoint.plugin;

import tools.jackson.databind.json.JsonMapper;

/**
 * TEMP placeholder of the bundled plugins for the wire branch.
 */
public final class RequestFormats {

	/**
	 * Creates the placeholder.
	 * @param mapper the mapper
	 */
	public RequestFormats(JsonMapper mapper) {
	}

}
