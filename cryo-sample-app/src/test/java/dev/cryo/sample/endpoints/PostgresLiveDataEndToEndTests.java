package dev.cryo.sample.endpoints;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cryo.test.PrivatePostgres;

/**
 * Live data end to end on a private PostgreSQL server: skipped with a message when PostgreSQL is
 * not installed, failed instead under {@code CI=true}. The context is closed after the class,
 * before its server would be missed.
 */
@DirtiesContext
class PostgresLiveDataEndToEndTests extends AbstractLiveDataEndToEndTests {

	@RegisterExtension
	static final PrivatePostgres postgres = new PrivatePostgres();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", postgres::jdbcUrl);
		registry.add("spring.datasource.username", () -> PrivatePostgres.USER);
		registry.add("spring.datasource.password", () -> "");
	}

	@Override
	String database() {
		return "PostgreSQL";
	}

}
