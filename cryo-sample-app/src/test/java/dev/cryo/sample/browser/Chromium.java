package dev.cryo.sample.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's Chromium and chromedriver, for the browser tests. Both are given by path, so
 * Selenium Manager (which would go online to fetch a browser) never runs. Where they are
 * missing the tests are skipped, except in CI ({@code CI=true}), where a missing browser is a
 * failure: {@code .ci/run} installs them.
 */
final class Chromium {

	static final Path BINARY = Path.of(System.getProperty("cryo.test.chromium", "/usr/bin/chromium"));

	static final Path DRIVER = Path.of(System.getProperty("cryo.test.chromedriver", "/usr/bin/chromedriver"));

	/** How long a script may run in the page: the full-size transfers move a GiB. */
	private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10);

	private Chromium() {
	}

	static boolean isInstalled() {
		return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
	}

	/**
	 * Skips the calling test (or fails it in CI) when the browser or its driver is missing. Call
	 * it per test ({@code @BeforeEach}): Surefire does not report tests skipped in {@code @BeforeAll}.
	 */
	static void assumeInstalled() {
		if (isInstalled()) {
			return;
		}
		String message = "Browser tests need " + BINARY + " and " + DRIVER
				+ ": apt-get install chromium chromium-driver";
		if ("true".equals(System.getenv("CI"))) {
			Assertions.fail(message + " (CI=true: a missing browser fails the build)");
		}
		Assumptions.abort(message);
	}

	/** A new headless Chromium; quit it when done. */
	static ChromeDriver start() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BINARY.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,1700");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
		// The versions go to the build log: reports quote the browser the figures were seen in.
		Map<?, ?> chrome = (Map<?, ?>) driver.getCapabilities().getCapability("chrome");
		System.out.println("browser: " + driver.getCapabilities().getBrowserName() + " "
				+ driver.getCapabilities().getBrowserVersion() + ", chromedriver "
				+ ((chrome != null) ? chrome.get("chromedriverVersion") : "unknown"));
		return driver;
	}

	/** A throughput line for the build log. */
	static void logThroughput(String what, long bytes, double millis) {
		double mib = bytes / (1024.0 * 1024.0);
		System.out.printf("browser: %s %s in %.0f ms (%.1f MiB/s)%n", what, size(bytes), millis,
				mib / (millis / 1000.0));
	}

	static String size(long bytes) {
		if (bytes >= 1024L * 1024 * 1024 && bytes % (1024L * 1024 * 1024) == 0) {
			return (bytes / (1024L * 1024 * 1024)) + " GiB";
		}
		if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
			return (bytes / (1024 * 1024)) + " MiB";
		}
		return bytes + " B";
	}

}
