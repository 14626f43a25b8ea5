package dev.cryo.sample.browser;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.sample.CryoSampleApplication;
import dev.cryo.server.CryoServer;

import static dev.cryo.sample.browser.Page.decimal;
import static dev.cryo.sample.browser.Page.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JavaScript client in a real browser (headless Chromium) against the sample app: the
 * client is loaded from {@code /cryo-client/cryo.mjs} into a test page whose functions the
 * tests call. Keep-alive is one second here, so that server pings are seen within a test.
 * <p>Transfers are 5 and 64 MiB by default, 1 GiB too with {@code -Dcryo.test.full=true}.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.keep-alive-interval=1s", "management.server.port=0" })
@DisplayName("JavaScript client in Chromium")
class BrowserClientTests {

	private static final boolean FULL = Boolean.getBoolean("cryo.test.full");

	private static final int MIB = 1024 * 1024;

	@RegisterExtension
	static final ChromiumExtension chromium = new ChromiumExtension();

	@LocalServerPort
	private int port;

	@Autowired
	private CryoServer server;

	private Page page;

	@BeforeEach
	void openPage() {
		this.page = Page.open(chromium.browser(), this.port);
	}

	static Stream<Long> transferSizes() {
		return FULL ? Stream.of(5L * MIB, 64L * MIB, 1024L * MIB) : Stream.of(5L * MIB, 64L * MIB);
	}

	@Test
	@DisplayName("connects: the session is open with a session id the server knows")
	void connects() {
		Map<String, Object> connected = this.page.call("connect");
		assertThat(connected.get("state")).isEqualTo("open");
		String id = (String) connected.get("id");
		assertThat(id).matches("[0-9]+");
		assertThat(this.server.sessions()).anySatisfy((session) -> assertThat(session.idString()).isEqualTo(id));
		System.out.printf("browser: connected in %.0f ms%n", decimal(connected, "millis"));
	}

	@Test
	@DisplayName("the seed client's shape, cryo(host, bearer, timeout), connects with ws:// on an http page")
	void connectsWithTheLegacyShape() {
		Map<String, Object> legacy = this.page.call("connectLegacyShape");
		assertThat(legacy.get("state")).isEqualTo("open");
		assertThat((String) legacy.get("id")).matches("[0-9]+");
		assertThat(number(legacy, "closeCode")).isEqualTo(4000);
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 0, 1, 64 * 1024, MIB })
	@DisplayName("UTF-8 text (multi-byte characters included) comes back as sent")
	void echoesUtf8(int bytes) {
		this.page.call("connect");
		Map<String, Object> echoed = this.page.call("echoUtf8Bytes", bytes);
		assertThat(number(echoed, "bytes")).isEqualTo(bytes);
	}

	@Test
	@DisplayName("UTF-8 text: characters of one to four bytes and a leading BOM survive the round trip")
	void echoesMultiByteCharacters() {
		this.page.call("connect");
		this.page.call("echoUtf8", "\uFEFFgrüße, €, 日本語, 😀 and 𝄞");
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 0, 1, 64 * 1024, MIB })
	@DisplayName("binary data comes back byte for byte")
	void echoesBinary(int bytes) {
		this.page.call("connect");
		Map<String, Object> echoed = this.page.call("echoBinary", bytes);
		assertThat(number(echoed, "size")).isEqualTo(bytes);
		assertThat(number(echoed, "firstDifference")).as("first differing byte").isEqualTo(-1);
	}

	@Test
	@DisplayName("an ERROR frame from the server surfaces as message-error")
	void serverErrorSurfacesAsMessageError() {
		this.page.call("connect");
		Map<String, Object> error = this.page.call("serverError", "download lots report.pdf");
		assertThat(error.get("text")).isEqualTo("download needs a size in bytes: download <bytes> <name>");
	}

	@Test
	@DisplayName("server pings (every second here) are answered: the session outlives several intervals")
	void answersServerPings() {
		this.page.call("connect");
		Map<String, Object> before = this.page.call("info");
		this.page.call("sleep", 4000);
		Map<String, Object> after = this.page.call("info");
		assertThat(after.get("state")).isEqualTo("open");
		assertThat(framesIn(after) - framesIn(before)).as("frames received in 4 s (pings)").isGreaterThanOrEqualTo(3);
		assertThat(events(after)).noneMatch((event) -> event.get("type").equals("disconnected"));
		assertThat(decimal(after, "rtt")).as("rtt").isGreaterThanOrEqualTo(0);
		this.page.call("echoUtf8", "still here");
		System.out.printf("browser: rtt %.2f ms after %d pings%n", decimal(after, "rtt"),
				framesIn(after) - framesIn(before));
	}

	@ParameterizedTest(name = "{0} bytes")
	@MethodSource("transferSizes")
	@DisplayName("upload: the server's SHA-256 of the stream matches the page's")
	void uploads(long bytes) {
		this.page.call("connect");
		String name = "upload-" + bytes + ".bin";
		Map<String, Object> upload = this.page.call("upload", bytes, name);
		assertThat(number(upload, "serverBytes")).isEqualTo(bytes);
		assertThat(upload.get("serverSha")).as("server's SHA-256").isEqualTo(upload.get("pageSha"));
		assertThat(number(upload, "lastSent")).as("last progress report").isEqualTo(bytes);
		Chromium.logThroughput("upload", bytes, decimal(upload, "millis"));
	}

	@ParameterizedTest(name = "{0} bytes")
	@MethodSource("transferSizes")
	@DisplayName("download pushed by the server: every byte as the contract says")
	void downloadsPushed(long bytes) {
		this.page.call("connect");
		Map<String, Object> download = this.page.call("download", bytes, "pushed-" + bytes + ".bin", "download");
		assertThat(number(download, "received")).isEqualTo(bytes);
		assertThat(number(download, "firstWrong")).as("first wrong byte").isEqualTo(-1);
		Chromium.logThroughput("download (push)", bytes, decimal(download, "millis"));
	}

	@Test
	@DisplayName("download pulled by the client (receiveMode pull, TX_FLOW): every byte as the contract says")
	void downloadsPulled() {
		long bytes = 16L * MIB;
		this.page.call("connect", Map.of("receiveMode", "pull"));
		Map<String, Object> download = this.page.call("download", bytes, "pulled.bin", "download-pull");
		assertThat(number(download, "received")).isEqualTo(bytes);
		assertThat(number(download, "firstWrong")).as("first wrong byte").isEqualTo(-1);
		Chromium.logThroughput("download (pull)", bytes, decimal(download, "millis"));
	}

	@Test
	@DisplayName("a token the server refuses (401) fails connect with a clear error, and is not retried")
	void wrongTokenIsRefusedWithoutRetry() {
		Map<String, Object> refused = this.page.call("connectRefused", "not-the-token");
		assertThat(refused.get("connected")).isEqualTo(false);
		// Browsers hide the upgrade's 401 from scripts (a WebSocket that closes before it opens),
		// and cryo-v1.md §2.4 leaves plain GETs to the WebSocket stack (400), so the client can only
		// say what the refusal may have been; a failed first connect is never retried.
		assertThat(refused.get("code")).isEqualTo("UPGRADE_FAILED");
		assertThat((String) refused.get("message")).contains("closed before it opened")
			.contains("401 for a token it does not accept")
			.doesNotContain("not-the-token");
		assertThat(number(refused, "attempts")).as("WebSockets opened").isEqualTo(1);
	}

	@Test
	@DisplayName("close: BYE and close code 4000; the server lets the session go")
	void closes() {
		String id = (String) this.page.call("connect").get("id");
		Map<String, Object> closed = this.page.call("close", "bye");
		assertThat(number(closed, "code")).isEqualTo(4000);
		assertThat(closed.get("state")).isEqualTo("closed");
		assertThat(closed.get("error")).isNull();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.server.sessions()).noneMatch((session) -> session.idString().equals(id)));
	}

	private static long framesIn(Map<String, Object> info) {
		@SuppressWarnings("unchecked")
		Map<String, Object> stats = (Map<String, Object>) info.get("stats");
		return number(stats, "framesIn");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> events(Map<String, Object> info) {
		return (List<Map<String, Object>>) info.get("events");
	}

}
