package dev.cryo.sample;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.LogText;
import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, defect 7: what a peer sends reaches the sample's log escaped and cut. A BYE reason
 * with a line break cannot forge a log line, and a 1 MiB transaction name costs a bounded line,
 * not two megabytes.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
@DisplayName("Issue 13 — peer text in the log")
class LogInjectionEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** A line that would read as the application's own if it started a line of the log. */
	private static final String FORGED = "2026-01-01T00:00:00.000Z ERROR 1 --- [main] dev.cryo.sample.Admin : admin login OK";

	/** Generous for one line of the sample's log with two escaped pieces of peer text. */
	private static final int MAX_LINE = 1024;

	@LocalServerPort
	int port;

	@Test
	@DisplayName("a BYE reason with a line break is logged on one line, escaped")
	void byeReasonCannotForgeALogLine(CapturedOutput output) {
		SessionId sid = SessionId.of(ConformanceSupport.randomSid());
		String reason = "bye\n" + FORGED;
		try (RawCryoClient client = connect(sid)) {
			client.send(new ByeFrame(sid, 1, reason));
			client.next(AckFrame.class);
			client.awaitClose();
		}
		String closedLine = "Session " + sid + " closed: 4000 ";
		Awaitility.await().atMost(WAIT).until(() -> output.getOut().contains(closedLine));
		List<String> lines = output.getOut().lines().toList();
		assertThat(lines).as("no line of the log starts with the peer's text")
			.noneMatch((line) -> line.startsWith("2026-01-01T00:00:00.000Z")
					|| (line.contains("admin login OK") && !line.contains(closedLine)));
		assertThat(lines).anyMatch((line) -> line.endsWith(closedLine + "bye\\n" + FORGED));
	}

	@Test
	@DisplayName("a 1 MiB transaction name is logged cut to a bounded length")
	void hugeTransactionNameIsLoggedBounded(CapturedOutput output) {
		SessionId sid = SessionId.of(ConformanceSupport.randomSid());
		String name = "n".repeat(1024 * 1024);
		try (RawCryoClient client = connect(sid)) {
			client.send(new TxStartFrame(sid, 1, 7, name));
			client.next(AckFrame.class);
			// The stream never finishes: the sample's reader fails, and says so in the log.
			client.abort();
		}
		String endedEarly = "of session " + sid + " ended early";
		Awaitility.await().atMost(WAIT).until(() -> output.getOut().contains(endedEarly));
		List<String> lines = output.getOut().lines().filter((line) -> line.contains(endedEarly)).toList();
		assertThat(lines).singleElement()
			.satisfies((line) -> assertThat(line).hasSizeLessThan(MAX_LINE)
				.contains("n".repeat(LogText.DEFAULT_MAX_CHARS) + "[... " + (name.length() - LogText.DEFAULT_MAX_CHARS)
						+ " more chars]"));
		assertThat(output.getAll()).as("the whole log stays small").hasSizeLessThan(name.length());
	}

	private RawCryoClient connect(SessionId sid) {
		RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", SampleAuthenticator.DEVELOPMENT_TOKEN, sid);
		try {
			client.handshake();
		}
		catch (RuntimeException | AssertionError ex) {
			client.close();
			throw ex;
		}
		return client;
	}

}
