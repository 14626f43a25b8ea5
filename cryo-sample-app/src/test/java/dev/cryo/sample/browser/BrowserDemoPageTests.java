package dev.cryo.sample.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.sample.CryoSampleApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page at {@code /}, used as a person would: its forms, buttons and file input. The
 * last test leaves a screenshot in {@code target/browser-artifacts/demo.png}.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.server.port=0")
@DisplayName("Demo page in Chromium")
class BrowserDemoPageTests {

	private static final Path ARTIFACTS = Path.of("target", "browser-artifacts");

	private static final Duration WAIT = Duration.ofSeconds(30);

	@RegisterExtension
	static final ChromiumExtension chromium = new ChromiumExtension();

	@LocalServerPort
	private int port;

	@AfterEach
	void closeExtraWindows() {
		if (!chromium.isRunning()) {
			return;
		}
		String first = chromium.browser().getWindowHandles().iterator().next();
		for (String handle : chromium.browser().getWindowHandles()) {
			if (!handle.equals(first)) {
				chromium.browser().switchTo().window(handle).close();
			}
		}
		chromium.browser().switchTo().window(first);
	}

	/** Opens the demo page in the current window and connects with the form's defaults. */
	private void openAndConnect() {
		chromium.browser().get("http://localhost:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(chromium.browser(), WAIT);
		WebElement url = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("connect-url")));
		wait.until((driver) -> url.getDomProperty("value").equals("ws://localhost:" + this.port + "/cryo"));
		assertThat(chromium.browser().findElement(By.id("connect-token")).getDomProperty("value")).isEqualTo("dev-token");
		chromium.browser().findElement(By.id("connect-button")).click();
		wait.until(ExpectedConditions.textMatches(By.id("connect-status"), Pattern.compile("^Connected as session \\d+")));
		wait.until(ExpectedConditions.textMatches(By.id("figure-state"), Pattern.compile("open")));
	}

	private static void chat(String message) {
		WebElement input = chromium.browser().findElement(By.id("chat-text"));
		input.sendKeys(message);
		chromium.browser().findElement(By.id("chat-send")).click();
	}

	private static WebElement awaitChatLine(String message) {
		return new WebDriverWait(chromium.browser(), WAIT).until((driver) -> driver.findElements(By.cssSelector("#chat-log .chat-line"))
			.stream()
			.filter((line) -> line.findElement(By.className("message")).getText().equals(message))
			.findFirst()
			.orElse(null));
	}

	@Test
	@DisplayName("chat: a message sent in one window shows up in another, marked as mine only in the first")
	void chatReachesEveryPage() {
		openAndConnect();
		String first = chromium.browser().getWindowHandle();
		WebDriver second = chromium.browser().switchTo().newWindow(WindowType.WINDOW);
		openAndConnect();
		String secondHandle = second.getWindowHandle();

		chromium.browser().switchTo().window(first);
		// ChromeDriver types only characters of the BMP.
		String message = "hello from the first window, grüße ✓";
		chat(message);

		chromium.browser().switchTo().window(secondHandle);
		WebElement seen = awaitChatLine(message);
		assertThat(seen.getDomAttribute("class")).doesNotContain("mine");
		assertThat(seen.findElement(By.className("who")).getText()).matches("developer \\(\\d{1,6}\\)");

		chromium.browser().switchTo().window(first);
		WebElement own = awaitChatLine(message);
		assertThat(own.getDomAttribute("class")).contains("mine");
		assertThat(own.findElement(By.className("who")).getText()).matches("developer \\(\\d{1,6}, you\\)");
		// Who the page is signed in as, from the token's user.
		assertThat(chromium.browser().findElement(By.id("figure-user")).getText()).isEqualTo("developer");
		// The echo of the command is not a chat line.
		assertThat(chromium.browser().findElements(By.cssSelector("#chat-log .chat-line"))).hasSize(1);
	}

	/** Signs the current window in with the posts card's defaults (the development user). */
	private static void signIn() {
		WebDriverWait wait = new WebDriverWait(chromium.browser(), WAIT);
		assertThat(chromium.browser().findElement(By.id("signin-user")).getDomProperty("value")).isEqualTo("developer");
		wait.until(ExpectedConditions.elementToBeClickable(By.id("signin-button"))).click();
		wait.until(ExpectedConditions.textMatches(By.id("posts-status"), Pattern.compile("^Signed in as developer")));
	}

	private static WebElement awaitPost(String title) {
		return postWait().until((driver) -> findPost(title));
	}

	/** A wait that tries again when the page replaced a post's element while it was being read. */
	private static WebDriverWait postWait() {
		WebDriverWait wait = new WebDriverWait(chromium.browser(), WAIT);
		wait.ignoring(StaleElementReferenceException.class);
		return wait;
	}

	private static WebElement findPost(String title) {
		return chromium.browser()
			.findElements(By.cssSelector("#post-list .post"))
			.stream()
			.filter((post) -> post.findElement(By.className("post-title")).getText().equals(title))
			.findFirst()
			.orElse(null);
	}

	@Test
	@DisplayName("posts: a post created in one window appears live in another, as text; a reload lists it, a delete removes it")
	void postsAppearLiveOnEveryPage() {
		openAndConnect();
		signIn();
		String first = chromium.browser().getWindowHandle();
		WebDriver second = chromium.browser().switchTo().newWindow(WindowType.WINDOW);
		openAndConnect();
		signIn();
		String secondHandle = second.getWindowHandle();

		chromium.browser().switchTo().window(first);
		String title = "Live <b>post</b> " + System.nanoTime();
		chromium.browser().findElement(By.id("post-title")).sendKeys(title);
		chromium.browser().findElement(By.id("post-content")).sendKeys("first line, grüße ✓");
		chromium.browser().findElement(By.id("post-send")).click();

		chromium.browser().switchTo().window(secondHandle);
		WebElement seen = awaitPost(title);
		// Peer text is shown as text: the markup in the title made no element.
		assertThat(seen.findElements(By.tagName("b"))).isEmpty();
		assertThat(seen.findElement(By.className("post-content")).getText()).isEqualTo("first line, grüße ✓");
		assertThat(seen.findElement(By.className("post-author")).getText()).matches("#\\d+ by developer");
		// The newest post is at the top.
		assertThat(chromium.browser().findElements(By.cssSelector("#post-list .post")).get(0)).isEqualTo(seen);

		// A page opened later lists it from posts:post read.
		chromium.browser().navigate().refresh();
		openAndConnect();
		awaitPost(title);

		chromium.browser().switchTo().window(first);
		awaitPost(title).findElement(By.className("post-delete")).click();
		chromium.browser().switchTo().window(secondHandle);
		postWait().until((driver) -> findPost(title) == null);
	}

	@Test
	@DisplayName("upload through the file input: progress reaches 100 % and the server's SHA-256 matches the page's; a download is checked byte by byte")
	void uploadsAFileAndDownloads(@TempDir Path directory) throws IOException {
		byte[] content = new byte[3 * 1024 * 1024 + 17];
		new Random(17).nextBytes(content);
		Path file = directory.resolve("demo-upload.bin");
		Files.write(file, content);
		String expectedSha = sha256(content);

		openAndConnect();
		chat("uploading a file");
		awaitChatLine("uploading a file");
		chromium.browser().findElement(By.id("upload-file")).sendKeys(file.toAbsolutePath().toString());
		chromium.browser().findElement(By.id("upload-start")).click();
		WebDriverWait wait = new WebDriverWait(chromium.browser(), WAIT);
		wait.until(ExpectedConditions.attributeContains(By.id("upload-verdict"), "class", "verdict"));
		assertThat(chromium.browser().findElement(By.id("upload-verdict")).getDomAttribute("class")).isEqualTo("verdict-good");
		assertThat(chromium.browser().findElement(By.id("upload-verdict")).getText()).startsWith("match");
		assertThat(chromium.browser().findElement(By.id("upload-progress")).getDomProperty("value")).isEqualTo("100");
		assertThat(chromium.browser().findElement(By.id("upload-percent")).getText()).isEqualTo("100 %");
		assertThat(chromium.browser().findElement(By.id("upload-page-sha")).getText()).isEqualTo(expectedSha);
		assertThat(chromium.browser().findElement(By.id("upload-server-sha")).getText()).startsWith(expectedSha + " ");

		WebElement size = chromium.browser().findElement(By.id("download-size"));
		size.clear();
		size.sendKeys("8");
		chromium.browser().findElement(By.id("download-start")).click();
		wait.until(ExpectedConditions.textMatches(By.id("download-result"),
				Pattern.compile("every byte checked|MISMATCH|failed|got")));
		assertThat(chromium.browser().findElement(By.id("download-result")).getText()).startsWith("8.00 MiB in ")
			.endsWith("every byte checked.");
		assertThat(chromium.browser().findElement(By.id("download-progress")).getDomProperty("value")).isEqualTo("100");
		// The figures are refreshed twice a second: wait for the refresh after the download.
		wait.until((driver) -> !driver.findElement(By.id("figure-rtt")).getText().equals("–"));
		wait.until((driver) -> driver.findElement(By.id("figure-bytes-in")).getText().endsWith("MiB"));

		Files.createDirectories(ARTIFACTS);
		Path screenshot = chromium.browser().getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(screenshot, ARTIFACTS.resolve("demo.png"), StandardCopyOption.REPLACE_EXISTING);
		System.out.println("browser: demo page screenshot at " + ARTIFACTS.resolve("demo.png").toAbsolutePath());
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
