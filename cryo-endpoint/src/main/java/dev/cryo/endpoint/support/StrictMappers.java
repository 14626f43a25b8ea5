package dev.cryo.endpoint.support;

import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the strict mapper of {@link JsonBinder}.
 */
final class StrictMappers {

	private StrictMappers() {
	}

	static JsonMapper create() {
		return JsonMapper.builder().build();
	}

}
