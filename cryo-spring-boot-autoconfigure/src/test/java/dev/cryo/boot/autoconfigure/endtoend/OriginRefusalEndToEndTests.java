package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.LogText;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser page of a foreign origin is refused as cryo-v1.md §2.5 says (403, empty body), and
 * the refusal is no longer silent (issue 13, defect 8): one WARN per origin within the window,
 * naming {@code cryo.allowed-origins}, and a count in {@code cryo.upgrades.rejected{reason=origin}}.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.allowed-origins=https://good.example",
				"cryo.allowed-origin-patterns=https://*.pattern.example" })
@ExtendWith(OutputCaptureExtension.class)
@Timeout(30)
class OriginRefusalEndToEndTests {

	private static final String WARNING = "Refused a Cryo upgrade from origin";

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Test
	void aForeignOriginGets403WithAnEmptyBody() throws IOException {
		RawUpgradeRequest.Response response = upgrade(uniqueOrigin("evil"));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void eachRefusedOriginIsWarnedAboutOnceWithinTheWindow(CapturedOutput output) throws IOException {
		String first = uniqueOrigin("first");
		String second = uniqueOrigin("second");
		for (int i = 0; i < 3; i++) {
			assertThat(upgrade(first).status()).isEqualTo(403);
			assertThat(upgrade(second).status()).isEqualTo(403);
		}
		assertThat(warnings(output, first)).singleElement()
			.satisfies((line) -> assertThat(line).contains(" WARN ")
				.contains("cryo.allowed-origins")
				.contains("with 403"));
		assertThat(warnings(output, second)).hasSize(1);
	}

	@Test
	void refusalsAreCountedAsUpgradeRefusalsWithReasonOrigin() throws IOException {
		double before = originRefusals();
		upgrade(uniqueOrigin("counted"));
		upgrade(uniqueOrigin("counted"));
		assertThat(originRefusals() - before).isEqualTo(2.0);
	}

	@Test
	void theOriginIsLoggedCutToABoundedLength(CapturedOutput output) throws IOException {
		String origin = "https://" + "a".repeat(4000) + "-" + UUID.randomUUID() + ".example";
		assertThat(upgrade(origin).status()).isEqualTo(403);
		List<String> lines = output.getOut().lines().filter((line) -> line.contains(WARNING)).toList();
		assertThat(lines).singleElement()
			.satisfies((line) -> assertThat(line).hasSizeLessThan(1000).contains(LogText.escape(origin)));
	}

	@Test
	void anOriginThatIsNoUrlIsRefusedToo() throws IOException {
		// Sandboxed iframes and file: pages send "null".
		assertThat(upgrade("null").status()).isEqualTo(403);
	}

	@Test
	void allowedOriginsPatternsTheSameOriginAndNoOriginAreNotRefused(CapturedOutput output) throws IOException {
		double before = originRefusals();
		assertThat(upgrade("https://good.example").status()).isEqualTo(101);
		assertThat(upgrade("https://app.pattern.example").status()).isEqualTo(101);
		assertThat(upgrade("http://localhost:" + this.port).status()).isEqualTo(101);
		assertThat(RawUpgradeRequest.send(this.port, query(), Map.of()).status()).isEqualTo(101);
		assertThat(originRefusals()).isEqualTo(before);
		assertThat(output.getOut()).doesNotContain(WARNING);
	}

	private RawUpgradeRequest.Response upgrade(String origin) throws IOException {
		return RawUpgradeRequest.send(this.port, query(), Map.of("Origin", origin));
	}

	private static String query() {
		return "/cryo?authorization=Bearer+" + BackpressureTestApplication.TOKEN + "&x-cryo-sid=" + RawFrames.newSid();
	}

	/** An origin no other test (of this context) has used, so that its first refusal is logged here. */
	private static String uniqueOrigin(String name) {
		return "https://" + name + "-" + UUID.randomUUID() + ".example";
	}

	private static List<String> warnings(CapturedOutput output, String origin) {
		return output.getOut().lines().filter((line) -> line.contains(WARNING + " \"" + origin + "\"")).toList();
	}

	private double originRefusals() {
		return this.registry.get("cryo.upgrades.rejected").tag("reason", "origin").counter().count();
	}

}
