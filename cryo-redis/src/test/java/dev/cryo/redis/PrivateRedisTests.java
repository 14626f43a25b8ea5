package dev.cryo.redis;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import dev.cryo.test.PrivateRedis;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Without redis-server the tests that need it are skipped with a way to install it, except under CI.
 */
class PrivateRedisTests {

	@Test
	void withoutRedisTheTestsAreSkippedSayingHowToInstallIt() {
		PrivateRedis redis = new PrivateRedis(Map.<String, String>of()::get, () -> null);
		assertThatExceptionOfType(TestAbortedException.class).isThrownBy(() -> redis.beforeAll(null))
			.withMessageContaining("install redis-server (apt-get install redis-server)");
	}

	@Test
	void underCiAMissingRedisFailsInsteadOfSkipping() {
		PrivateRedis redis = new PrivateRedis(Map.of("CI", "true")::get, () -> null);
		assertThatIllegalStateException().isThrownBy(() -> redis.beforeAll(null))
			.withMessageContaining("apt-get install redis-server")
			.withMessageContaining("CI=true");
	}

}
