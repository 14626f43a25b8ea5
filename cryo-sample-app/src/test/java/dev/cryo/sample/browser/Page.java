package dev.cryo.sample.browser;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The browser tests' page ({@code static/browser-test.html} of the test resources): calls the
 * functions of its {@code window.harness} and hands back what they resolve with.
 */
final class Page {

	private static final String CALL = """
			const done = arguments[arguments.length - 1];
			const name = arguments[0];
			const args = arguments[1];
			Promise.resolve()
				.then(() => window.harness[name](...args))
				.then((result) => done({ result: result === undefined ? null : result }),
					(error) => done({ error: String(error && error.message || error), code: (error && error.code) || null }));
			""";

	private final WebDriver driver;

	private Page(WebDriver driver) {
		this.driver = driver;
	}

	/** Opens the test page of the app on this port and waits until its harness is ready. */
	static Page open(WebDriver driver, int port) {
		driver.get("http://localhost:" + port + "/browser-test.html");
		new WebDriverWait(driver, Duration.ofSeconds(10)).until((d) -> ((JavascriptExecutor) d)
			.executeScript("return typeof window.harness === 'object'").equals(Boolean.TRUE));
		return new Page(driver);
	}

	/** Calls {@code harness.<name>(args...)}; fails the test with the page's error if it rejects. */
	Map<String, Object> call(String name, Object... args) {
		Map<String, Object> outcome = invoke(name, args);
		if (outcome.containsKey("error")) {
			fail("harness." + name + " failed in the browser: " + outcome.get("error") + " (code "
					+ outcome.get("code") + ")");
		}
		return result(outcome);
	}

	/** Calls {@code harness.<name>(args...)} expecting it to reject; returns the error's message and code. */
	Map<String, Object> callFailing(String name, Object... args) {
		Map<String, Object> outcome = invoke(name, args);
		assertThat(outcome).as("harness." + name + " should have failed").containsKey("error");
		return outcome;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> invoke(String name, Object[] args) {
		Object outcome = ((JavascriptExecutor) this.driver).executeAsyncScript(CALL, name, List.of(args));
		return (Map<String, Object>) outcome;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> result(Map<String, Object> outcome) {
		Object result = outcome.get("result");
		return (result instanceof Map) ? (Map<String, Object>) result : Map.of("value", String.valueOf(result));
	}

	static long number(Map<String, Object> values, String key) {
		return ((Number) values.get(key)).longValue();
	}

	static double decimal(Map<String, Object> values, String key) {
		return ((Number) values.get(key)).doubleValue();
	}

}
