package dev.cryo.sample.endpoints;

import org.springframework.test.context.TestPropertySource;

/**
 * Live data end to end on the sample's default database, an embedded H2 (a database of its own,
 * apart from the other tests' contexts).
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:live-data-e2e;DB_CLOSE_DELAY=-1")
class LiveDataEndToEndTests extends AbstractLiveDataEndToEndTests {

	@Override
	String database() {
		return "H2";
	}

}
