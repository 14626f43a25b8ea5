package dev.cryo.sample.browser;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One headless Chromium per test class: started before the class when it is installed, quit
 * after it, and checked before each test ({@link Chromium#assumeInstalled()}: skipped with a
 * hint, or failed under {@code CI=true}). Register it in a static field with
 * {@code @RegisterExtension}.
 */
final class ChromiumExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

	private @Nullable ChromeDriver browser;

	@Override
	public void beforeAll(ExtensionContext context) {
		if (Chromium.isInstalled()) {
			this.browser = Chromium.start();
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		Chromium.assumeInstalled();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.browser != null) {
			this.browser.quit();
			this.browser = null;
		}
	}

	/** Whether the browser runs (it does not where Chromium is missing). */
	boolean isRunning() {
		return this.browser != null;
	}

	/** The browser of the running test class. */
	ChromeDriver browser() {
		return Objects.requireNonNull(this.browser, "Chromium is not running (checked before each test)");
	}

}
