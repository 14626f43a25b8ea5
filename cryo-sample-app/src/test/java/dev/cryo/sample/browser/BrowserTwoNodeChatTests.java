package dev.cryo.sample.browser;

import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.cryo.sample.cluster.SampleNodes;
import dev.cryo.test.PrivateRedis;

/**
 * The demo page on two nodes of one cluster (a private Redis): a chat line typed on the page of
 * node A appears on a page connected to node B, as README's "Running several servers" says.
 */
@DisplayName("Demo page on two cluster nodes in Chromium")
class BrowserTwoNodeChatTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	@RegisterExtension
	static final ChromiumExtension chromium = new ChromiumExtension();

	private final SampleNodes nodes = new SampleNodes(redis, "browser-chat:");

	@AfterEach
	void stop() {
		if (chromium.isRunning()) {
			String first = chromium.browser().getWindowHandles().iterator().next();
			for (String handle : chromium.browser().getWindowHandles()) {
				if (!handle.equals(first)) {
					chromium.browser().switchTo().window(handle).close();
				}
			}
			chromium.browser().switchTo().window(first);
		}
		this.nodes.close();
	}

	private int node(String id) {
		return this.nodes.startForPort(id);
	}

	private static void openAndConnect(int port) {
		chromium.browser().get("http://localhost:" + port + "/");
		WebDriverWait wait = new WebDriverWait(chromium.browser(), WAIT);
		WebElement url = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("connect-url")));
		wait.until((driver) -> url.getDomProperty("value").equals("ws://localhost:" + port + "/cryo"));
		chromium.browser().findElement(By.id("connect-button")).click();
		wait.until(ExpectedConditions.textMatches(By.id("figure-state"), Pattern.compile("open")));
	}

	@Test
	@DisplayName("a chat line typed on node A's page appears on node B's page")
	void aChatLineOnNodeAsPageAppearsOnNodeBsPage() {
		int portA = node("browser-a");
		int portB = node("browser-b");
		openAndConnect(portA);
		String pageA = chromium.browser().getWindowHandle();
		chromium.browser().switchTo().newWindow(WindowType.WINDOW);
		openAndConnect(portB);
		String pageB = chromium.browser().getWindowHandle();

		chromium.browser().switchTo().window(pageA);
		String message = "across the cluster " + System.nanoTime();
		chromium.browser().findElement(By.id("chat-text")).sendKeys(message);
		chromium.browser().findElement(By.id("chat-send")).click();

		chromium.browser().switchTo().window(pageB);
		new WebDriverWait(chromium.browser(), WAIT).until((driver) -> driver
			.findElements(By.cssSelector("#chat-log .chat-line"))
			.stream()
			.anyMatch((line) -> line.findElement(By.className("message")).getText().equals(message)));
	}

}
