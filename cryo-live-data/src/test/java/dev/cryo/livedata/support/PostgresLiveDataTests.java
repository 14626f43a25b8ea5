package dev.cryo.livedata.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cryo.test.PrivatePostgres;

/**
 * Live data on a private PostgreSQL server (skipped without PostgreSQL, failed under CI).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresLiveDataTests extends AbstractLiveDataTests {

	@RegisterExtension
	static final PrivatePostgres postgres = new PrivatePostgres();

	private LiveDataTestDatabase database;

	@BeforeAll
	void startDatabase() {
		this.database = new LiveDataTestDatabase(new org.postgresql.Driver(), postgres.jdbcUrl(), PrivatePostgres.USER);
	}

	@AfterAll
	void stopDatabase() {
		if (this.database != null) {
			this.database.close();
		}
	}

	@Override
	LiveDataTestDatabase database() {
		return this.database;
	}

	@Override
	String databaseName() {
		return "PostgreSQL " + "(private server, TCP 127.0.0.1)";
	}

}
