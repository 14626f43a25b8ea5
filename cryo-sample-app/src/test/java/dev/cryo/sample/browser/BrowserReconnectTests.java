package dev.cryo.sample.browser;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.sample.CryoSampleApplication;

import static dev.cryo.sample.browser.Page.number;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JavaScript client in Chromium outlives a server restart: the application is stopped and a
 * new one started on the same port, and the page's session reconnects by itself.
 */
@DisplayName("JavaScript client in Chromium: reconnecting")
class BrowserReconnectTests {

	@RegisterExtension
	static final ChromiumExtension chromium = new ChromiumExtension();

	private static ConfigurableApplicationContext start(int port) {
		// Command-line arguments, so that they win over the sample's application.yml.
		return new SpringApplicationBuilder(CryoSampleApplication.class).run("--server.port=" + port,
				"--management.server.port=0", "--spring.main.banner-mode=off");
	}

	private static int port(ConfigurableApplicationContext app) {
		return Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
	}

	@Test
	@DisplayName("after the server restarts on the same port the session emits reconnected and works again")
	void reconnectsAfterServerRestart() {
		ConfigurableApplicationContext app = start(0);
		int port = port(app);
		try {
			Page page = Page.open(chromium.browser(), port);
			String firstId = (String) page
				.call("connect", Map.of("reconnect", Map.of("maxAttempts", 40, "baseDelay", 100, "maxDelay", 500, "jitter", 0)))
				.get("id");
			page.call("echoUtf8", "before the restart");

			long stopped = System.nanoTime();
			app.close();
			page.call("waitFor", "disconnected", 10_000);
			app = start(port);
			page.call("waitFor", "reconnected", 30_000);
			System.out.printf("browser: reconnected %d ms after the server stopped%n",
					(System.nanoTime() - stopped) / 1_000_000);

			page.call("echoUtf8", "after the restart");
			Map<String, Object> info = page.call("info");
			assertThat(info.get("state")).isEqualTo("open");
			assertThat(info.get("id")).as("a new connection has a new session id").isNotEqualTo(firstId);
			@SuppressWarnings("unchecked")
			Map<String, Object> stats = (Map<String, Object>) info.get("stats");
			assertThat(number(stats, "reconnectAttempts")).isGreaterThanOrEqualTo(1);
			@SuppressWarnings("unchecked")
			List<String> types = ((List<Map<String, Object>>) info.get("events")).stream()
				.map((event) -> (String) event.get("type"))
				.filter((type) -> List.of("disconnected", "connected", "reconnected", "closed").contains(type))
				.toList();
			assertThat(types).containsExactly("disconnected", "connected", "reconnected");
			page.call("close", "done");
		}
		finally {
			app.close();
		}
	}

}
