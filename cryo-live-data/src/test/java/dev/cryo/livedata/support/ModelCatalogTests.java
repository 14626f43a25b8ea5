package dev.cryo.livedata.support;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A misconfigured model fails at startup instead of leaking fields or sending nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelCatalogTests {

	private LiveDataTestDatabase database;

	@BeforeAll
	void startDatabase() {
		this.database = new LiveDataTestDatabase(new org.h2.Driver(), "jdbc:h2:mem:live-catalog;DB_CLOSE_DELAY=-1",
				"sa");
	}

	@AfterAll
	void stopDatabase() {
		this.database.close();
	}

	@Test
	void anAssociationCannotBeAllowListed() {
		assertThatIllegalStateException().isThrownBy(() -> install("Comment", Comment.class.getName(), "post"))
			.withMessage("Live-data model 'Comment' allows 'post', an association or collection; "
					+ "only basic properties can be sent");
	}

	@Test
	void anAllowListedFieldMustBeAProperty() {
		assertThatIllegalStateException().isThrownBy(() -> install("Comment", Comment.class.getName(), "password"))
			.withMessage("Live-data model 'Comment' allows 'password', which is not a property of "
					+ Comment.class.getName());
	}

	@Test
	void aConfiguredModelMustNameAnEntity() {
		assertThatIllegalStateException().isThrownBy(() -> install("Missing", "com.example.Missing", "id"))
			.withMessage("No JPA entity 'com.example.Missing' for live-data model 'Missing'");
	}

	private void install(String model, String entity, String... fields) {
		LiveDataSupport.on(this.database.entityManagerFactory())
			.models(List.of(new LiveDataModelDefinition(model, entity, List.of(fields), false)))
			.install();
	}

}
