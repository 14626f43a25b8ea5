package dev.cryo.boot.autoconfigure.endtoend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token stays out of the log even when Spring's WebSocket support logs at DEBUG, which is
 * what users switch on first when a connection misbehaves.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "logging.level.org.springframework.web.socket=debug")
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@Timeout(30)
class CryoTokenLoggingWithSpringDebugEndToEndTests {

	@LocalServerPort
	int port;

	@Test
	void tokenNeverAppearsInSpringWebSocketDebugOutput(CapturedOutput output) {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(Utf8DataFrame.of(sid, 1, "hello"));
			client.next(AckFrame.class);
			client.closeWebSocket(1000, "bye");
			client.awaitClose();
		}
		assertThat(output.getAll()).contains("StandardWebSocketSession").doesNotContain(CryoTestApplication.TOKEN);
	}

}
