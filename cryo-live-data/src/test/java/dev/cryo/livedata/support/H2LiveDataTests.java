package dev.cryo.livedata.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Live data on H2 (in memory).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2LiveDataTests extends AbstractLiveDataTests {

	private LiveDataTestDatabase database;

	@BeforeAll
	void startDatabase() {
		this.database = new LiveDataTestDatabase(new org.h2.Driver(), "jdbc:h2:mem:live-h2;DB_CLOSE_DELAY=-1", "sa");
	}

	@AfterAll
	void stopDatabase() {
		this.database.close();
	}

	@Override
	LiveDataTestDatabase database() {
		return this.database;
	}

	@Override
	String databaseName() {
		return "H2 (in memory)";
	}

}
