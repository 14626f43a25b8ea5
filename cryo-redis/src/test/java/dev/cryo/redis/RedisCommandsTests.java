package dev.cryo.redis;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import dev.cryo.redis.RedisClusterObserver.Failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@link RedisCommands} tells failures apart for the {@code reason} of the failure meter, and
 * that the commands refused at once during the pause after a failure are told too.
 */
class RedisCommandsTests {

	@Test
	void failuresAreToldApartByTheirCauseChain() {
		assertThat(RedisCommands.reason(new TimeoutException())).isEqualTo(Failure.TIMEOUT);
		assertThat(RedisCommands.reason(new QueryTimeoutException("slow"))).isEqualTo(Failure.TIMEOUT);
		assertThat(RedisCommands.reason(new RedisConnectionFailureException("refused"))).isEqualTo(Failure.UNREACHABLE);
		assertThat(RedisCommands.reason(new RedisSystemException("wrapped", new ConnectException("refused"))))
			.isEqualTo(Failure.UNREACHABLE);
		assertThat(RedisCommands.reason(new IllegalStateException("ERR unknown command"))).isEqualTo(Failure.OTHER);
	}

	@Test
	void aFailureAndTheCommandsRefusedDuringThePauseAfterItAreToldWithTheSameReason() {
		List<Failure> told = new CopyOnWriteArrayList<>();
		try (RedisCommands commands = new RedisCommands("test", Duration.ofSeconds(1),
				LogFactory.getLog(RedisCommandsTests.class))) {
			commands.observer(new RedisClusterObserver() {

				@Override
				public void failure(Failure reason) {
					told.add(reason);
				}

			});
			assertThat(commands.lastFailure()).isNull();
			assertThatExceptionOfType(RedisClusterUnavailableException.class).isThrownBy(() -> commands.run(() -> {
				throw new RedisConnectionFailureException("refused");
			}));
			assertThatExceptionOfType(RedisClusterUnavailableException.class)
				.isThrownBy(() -> commands.run(() -> "never run"));
			assertThat(told).containsExactly(Failure.UNREACHABLE, Failure.UNREACHABLE);
			assertThat(commands.lastFailureDescription()).isEqualTo("RedisConnectionFailureException: refused");
		}
	}

}
