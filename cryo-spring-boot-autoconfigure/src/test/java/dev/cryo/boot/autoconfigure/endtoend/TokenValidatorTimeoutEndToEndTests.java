package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.cryo.boot.autoconfigure.endtoend.AuthenticationTimeoutEndToEndTests.Upgrade;
import dev.cryo.server.TokenValidator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow, blocking {@link TokenValidator} cannot hold the container either: 1,000 upgrades at
 * once against a validator that blocks for 2 s, with {@code cryo.authentication.timeout=500ms}
 * and the pool's defaults (16 threads, 256 waiting). Every upgrade is refused — 401
 * "Authentication timed out." for those the pool took, 503 "Too many authentications in
 * progress." at once for the rest — the validator never runs on more than 16 threads, and no
 * request holds its container thread much longer than the timeout. The time each request held
 * its container thread (from a filter at its start to its end) and the client's latencies are
 * printed.
 */
@SpringBootTest(classes = TokenValidatorTimeoutEndToEndTests.SlowValidatorApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.authentication.timeout=500ms", "server.tomcat.accept-count=2000" })
@Timeout(60)
class TokenValidatorTimeoutEndToEndTests {

	private static final int UPGRADES = 1000;

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private static final Duration SLOWNESS = Duration.ofSeconds(2);

	@LocalServerPort
	int port;

	@Autowired
	ContainerClock clock;

	@Autowired
	SlowValidator validator;

	@Test
	void thousandParallelUpgradesAgainstABlockingValidatorAreRefusedWithoutHoldingTheContainer() throws IOException {
		long start = System.nanoTime();
		List<Upgrade> upgrades = AuthenticationTimeoutEndToEndTests.upgradeAll(this.port, UPGRADES);
		long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		// A client may read its response before the filter around that request has returned.
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.clock.heldMillis.size() == UPGRADES);
		List<Long> held = new ArrayList<>(this.clock.heldMillis);
		List<Long> latencies = upgrades.stream().map(Upgrade::latencyMillis).sorted().toList();
		Map<Integer, Long> byStatus = upgrades.stream()
			.collect(Collectors.groupingBy(Upgrade::status, Collectors.counting()));
		long maxHeld = held.stream().mapToLong(Long::longValue).max().orElse(-1);
		System.out.printf("Blocking TokenValidator of %d ms, authentication timeout %d ms, %d parallel upgrades: "
				+ "total %d ms, statuses %s, validator threads at most %d; container thread held max %d ms, "
				+ "median %d ms; client latency max %d ms, median %d ms%n", SLOWNESS.toMillis(), TIMEOUT.toMillis(),
				UPGRADES, totalMillis, byStatus, this.validator.maxConcurrent.get(), maxHeld,
				AuthenticationTimeoutEndToEndTests.median(held), latencies.get(latencies.size() - 1),
				latencies.get(latencies.size() / 2));
		assertThat(upgrades).allSatisfy((upgrade) -> assertThat(upgrade.response())
			.containsAnyOf("was refused. Authentication timed out.", "was refused. Too many authentications in progress."));
		assertThat(byStatus.keySet()).containsOnly(401, 503);
		assertThat(this.validator.maxConcurrent.get()).isLessThanOrEqualTo(16);
		assertThat(maxHeld).isLessThan(TIMEOUT.plusSeconds(3).toMillis());
	}

	/** Blocks its calling thread for 2 s, and counts how many threads it holds at once. */
	static final class SlowValidator implements TokenValidator {

		private final AtomicInteger running = new AtomicInteger();

		final AtomicInteger maxConcurrent = new AtomicInteger();

		@Override
		public boolean isValid(String token) {
			this.maxConcurrent.accumulateAndGet(this.running.incrementAndGet(), Math::max);
			try {
				Thread.sleep(SLOWNESS.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.running.decrementAndGet();
			}
			return true;
		}

	}

	/** How long each request held its container thread: from a filter around the whole request. */
	static final class ContainerClock extends OncePerRequestFilter {

		final ConcurrentLinkedQueue<Long> heldMillis = new ConcurrentLinkedQueue<>();

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			long started = System.nanoTime();
			try {
				chain.doFilter(request, response);
			}
			finally {
				this.heldMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SlowValidatorApplication {

		@Bean
		SlowValidator slowValidator() {
			return new SlowValidator();
		}

		@Bean
		ContainerClock containerClock() {
			return new ContainerClock();
		}

	}

}
