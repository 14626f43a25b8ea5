package dev.cryo.livedata.support;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import dev.cryo.test.PrivatePostgres;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Without PostgreSQL the tests that need it are skipped with a way to install it, except under CI.
 */
class PrivatePostgresTests {

	@Test
	void withoutPostgresqlTheTestsAreSkippedSayingHowToInstallIt() {
		PrivatePostgres postgres = new PrivatePostgres(Map.<String, String>of()::get, () -> null);
		assertThatExceptionOfType(TestAbortedException.class).isThrownBy(() -> postgres.beforeAll(null))
			.withMessageContaining("apt-get install postgresql");
	}

	@Test
	void underCiAMissingPostgresqlFailsInsteadOfSkipping() {
		PrivatePostgres postgres = new PrivatePostgres(Map.of("CI", "true")::get, () -> null);
		assertThatIllegalStateException().isThrownBy(() -> postgres.beforeAll(null))
			.withMessageContaining("apt-get install postgresql")
			.withMessageContaining("CI=true");
	}

}
