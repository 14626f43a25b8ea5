package dev.cryo.sample.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cryo.sample.CryoSampleApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client as a page of another application uses it: served by a second web server (another
 * origin), the page imports {@code cryo.mjs} from the sample app and connects to its endpoint.
 * With its origin in {@code cryo.allowed-origins} both work (the module is fetched with CORS and
 * the upgrade passes the Origin check); a page of an origin the sample does not allow can load
 * neither the module nor, had it one, a connection.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.server.port=0")
@DisplayName("JavaScript client in Chromium, imported by a page of another origin")
class BrowserOtherOriginTests {

	private static final HttpServer allowedApp = pageServer();

	private static final HttpServer foreignApp = pageServer();

	@RegisterExtension
	static final ChromiumExtension chromium = new ChromiumExtension();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void allowTheOtherApplication(DynamicPropertyRegistry registry) {
		registry.add("cryo.allowed-origins", () -> origin(allowedApp));
	}

	@BeforeAll
	static void startTheOtherApplications() {
		allowedApp.start();
		foreignApp.start();
	}

	@AfterAll
	static void stopTheOtherApplications() {
		allowedApp.stop(0);
		foreignApp.stop(0);
	}

	@Test
	@DisplayName("an allowed origin imports the module, connects and gets its echo")
	void pageOfAnAllowedOriginImportsTheModuleAndConnects() {
		Map<String, Object> outcome = run(allowedApp);
		assertThat(outcome).containsEntry("imported", true).containsEntry("echo", "from another origin é");
		assertThat((String) outcome.get("version")).isNotBlank();
	}

	@Test
	@DisplayName("a foreign origin cannot import the module")
	void pageOfAForeignOriginCannotImportTheModule() {
		Map<String, Object> outcome = run(foreignApp);
		assertThat(outcome).containsEntry("imported", false);
		// Chromium's words for a module whose response carries no Access-Control-Allow-Origin.
		assertThat((String) outcome.get("error")).contains("Failed to fetch dynamically imported module");
	}

	/** Opens the other application's page, which tries the sample app, and returns what it saw. */
	@SuppressWarnings("unchecked")
	private Map<String, Object> run(HttpServer app) {
		chromium.browser().get(origin(app) + "/?app=" + this.port);
		JavascriptExecutor page = chromium.browser();
		new WebDriverWait(chromium.browser(), Duration.ofSeconds(20))
			.until((driver) -> page.executeScript("return window.outcome !== undefined"));
		return (Map<String, Object>) page.executeScript("return window.outcome");
	}

	private static String origin(HttpServer app) {
		return "http://localhost:" + app.getAddress().getPort();
	}

	/**
	 * A web server of another application: its one page imports the client from the sample app
	 * named by the {@code app} query parameter (its port), connects and sends one text.
	 */
	private static HttpServer pageServer() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
			byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
			server.createContext("/", (exchange) -> {
				exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
				exchange.sendResponseHeaders(200, page.length);
				try (OutputStream body = exchange.getResponseBody()) {
					body.write(page);
				}
			});
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start the other application's web server", ex);
		}
	}

	private static final String PAGE = """
			<!doctype html>
			<meta charset="utf-8">
			<title>Another application</title>
			<script type="module">
			const app = new URLSearchParams(location.search).get("app");
			try {
				const client = await import(`http://localhost:${app}/cryo-client/cryo.mjs`);
				const session = await client.connect(`ws://localhost:${app}/cryo`, { token: "dev-token" });
				const echo = new Promise((resolve) => session.once("message-utf8", resolve));
				await session.sendUtf8("from another origin é");
				window.outcome = { imported: true, version: client.VERSION, echo: await echo };
				await session.close("done");
			}
			catch (error) {
				window.outcome = { imported: false, error: String(error && error.message || error) };
			}
			</script>
			""";

}
