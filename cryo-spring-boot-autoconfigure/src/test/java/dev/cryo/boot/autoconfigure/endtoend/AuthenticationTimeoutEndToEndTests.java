package dev.cryo.boot.autoconfigure.endtoend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;

import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.UpgradeRefusal;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow authenticator cannot hold the container: 1,000 upgrades at once against one that takes
 * 2 s, with {@code cryo.authentication.timeout=500ms}, are all answered 401 "Authentication timed
 * out.", and none waits in the upgrade much longer than the timeout. The figures are printed:
 * the time each request spent in the gate (from the authenticator's call to the refusal, on the
 * server), and each request's latency as the client saw it, which also includes the wait for one
 * of Tomcat's 200 threads.
 */
@SpringBootTest(classes = AuthenticationTimeoutEndToEndTests.SlowAuthenticatorApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.authentication.timeout=500ms", "server.tomcat.accept-count=2000" })
@Timeout(60)
class AuthenticationTimeoutEndToEndTests {

	private static final int UPGRADES = 1000;

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private static final Duration SLOWNESS = Duration.ofSeconds(2);

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	GateClock clock;

	@Test
	void thousandParallelUpgradesAgainstASlowAuthenticatorAreAllRefusedAtTheTimeout() throws IOException {
		long start = System.nanoTime();
		List<Upgrade> upgrades = upgradeAll(this.port, UPGRADES);
		long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		List<Long> held = new ArrayList<>(this.clock.heldMillis);
		List<Long> latencies = upgrades.stream().map(Upgrade::latencyMillis).sorted().toList();
		long maxHeld = held.stream().mapToLong(Long::longValue).max().orElse(-1);
		System.out.printf("Authentication timeout %d ms, authenticator %d ms, %d parallel upgrades: total %d ms; "
				+ "held in the gate max %d ms, median %d ms; client latency max %d ms, median %d ms%n",
				TIMEOUT.toMillis(), SLOWNESS.toMillis(), UPGRADES, totalMillis, maxHeld, median(held),
				latencies.get(latencies.size() - 1), latencies.get(latencies.size() / 2));
		assertThat(upgrades).allSatisfy((upgrade) -> {
			assertThat(upgrade.status()).isEqualTo(401);
			assertThat(upgrade.response()).contains("was refused. Authentication timed out.");
		});
		assertThat(held).hasSize(UPGRADES);
		assertThat(this.clock.timeouts).hasSize(UPGRADES);
		assertThat(maxHeld).isLessThan(TIMEOUT.plusSeconds(3).toMillis());
		assertThat(held).allSatisfy((millis) -> assertThat(millis).isGreaterThanOrEqualTo(TIMEOUT.toMillis() - 5));
	}

	static long median(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
	}

	/** Sends every upgrade at once on non-blocking sockets and reads each response to its end. */
	static List<Upgrade> upgradeAll(int port, int count) throws IOException {
		List<Upgrade> upgrades = new ArrayList<>(count);
		InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
		try (Selector selector = Selector.open()) {
			for (int i = 0; i < count; i++) {
				byte[] request = RawUpgradeRequest.bytes(port,
						"/cryo?authorization=Bearer+token-" + i + "&x-cryo-sid=" + (i + 1), Map.of());
				SocketChannel channel = SocketChannel.open();
				channel.configureBlocking(false);
				Upgrade upgrade = new Upgrade(channel, ByteBuffer.wrap(request), System.nanoTime());
				upgrades.add(upgrade);
				channel.connect(address);
				channel.register(selector, SelectionKey.OP_CONNECT, upgrade);
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
			int open = count;
			ByteBuffer buffer = ByteBuffer.allocate(8192);
			while (open > 0 && System.nanoTime() < deadline) {
				selector.select(500);
				for (SelectionKey key : selector.selectedKeys()) {
					Upgrade upgrade = (Upgrade) key.attachment();
					try {
						if (key.isConnectable() && upgrade.channel.finishConnect()) {
							key.interestOps(SelectionKey.OP_WRITE);
						}
						else if (key.isWritable()) {
							upgrade.channel.write(upgrade.request);
							if (!upgrade.request.hasRemaining()) {
								key.interestOps(SelectionKey.OP_READ);
							}
						}
						else if (key.isReadable()) {
							buffer.clear();
							int read = upgrade.channel.read(buffer);
							if (read > 0) {
								upgrade.response.write(buffer.array(), 0, read);
							}
							if (read < 0 || upgrade.response().endsWith("</html>")) {
								upgrade.end = System.nanoTime();
								key.cancel();
								upgrade.channel.close();
								open--;
							}
						}
					}
					catch (IOException ex) {
						upgrade.end = System.nanoTime();
						key.cancel();
						upgrade.channel.close();
						open--;
					}
				}
				selector.selectedKeys().clear();
			}
		}
		return upgrades;
	}

	/** One upgrade request on its own connection. */
	static final class Upgrade {

		private final SocketChannel channel;

		private final ByteBuffer request;

		private final long start;

		private final ByteArrayOutputStream response = new ByteArrayOutputStream();

		private long end;

		Upgrade(SocketChannel channel, ByteBuffer request, long start) {
			this.channel = channel;
			this.request = request;
			this.start = start;
		}

		String response() {
			return this.response.toString(StandardCharsets.ISO_8859_1);
		}

		int status() {
			String response = response();
			return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
		}

		long latencyMillis() {
			return (this.end != 0) ? TimeUnit.NANOSECONDS.toMillis(this.end - this.start) : Long.MAX_VALUE;
		}

	}

	/**
	 * Measures, on the server, how long each upgrade waits in the gate: the authenticator and the
	 * refusal run on the same container thread, so the start is kept in a thread local.
	 */
	static final class GateClock implements CryoServerObserver {

		private final ThreadLocal<Long> startedAt = new ThreadLocal<>();

		final ConcurrentLinkedQueue<Long> heldMillis = new ConcurrentLinkedQueue<>();

		final ConcurrentLinkedQueue<UpgradeRefusal> timeouts = new ConcurrentLinkedQueue<>();

		void started() {
			this.startedAt.set(System.nanoTime());
		}

		@Override
		public void upgradeRejected(UpgradeRefusal refusal) {
			Long started = this.startedAt.get();
			if (started != null) {
				this.startedAt.remove();
				this.heldMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
			}
			if (refusal == UpgradeRefusal.AUTHENTICATION_TIMEOUT) {
				this.timeouts.add(refusal);
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SlowAuthenticatorApplication {

		@Bean
		GateClock gateClock() {
			return new GateClock();
		}

		/** Decides after 2 s without holding a thread meanwhile. */
		@Bean
		CryoAuthenticator slowAuthenticator(GateClock clock) {
			return (handshake) -> {
				clock.started();
				return CompletableFuture.supplyAsync(() -> CryoAuthentication.authenticated(CryoPrincipal.ANONYMOUS),
						CompletableFuture.delayedExecutor(SLOWNESS.toMillis(), TimeUnit.MILLISECONDS));
			};
		}

	}

}
