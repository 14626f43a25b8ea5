package dev.cryo.boot.autoconfigure.endtoend;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer's text reaches the server's own log escaped (issue 13, defect 7), even with Cryo's
 * logging at DEBUG, where the close of every session is logged with its reason.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "logging.level.dev.cryo=debug")
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@Timeout(30)
class CryoPeerTextLoggingEndToEndTests {

	@LocalServerPort
	int port;

	@Autowired
	CryoServer server;

	@Test
	void aByeReasonWithALineBreakCannotForgeALogLine(CapturedOutput output) {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(new ByeFrame(sid, 1, "bye\nERROR admin login OK"));
			client.next(AckFrame.class);
			client.awaitClose();
		}
		CryoClients.awaitGone(this.server, sid);
		List<String> lines = output.getOut().lines().toList();
		assertThat(lines).anyMatch((line) -> line.contains("Cryo session " + sid + " closed")
				&& line.contains("reason=\"bye\\nERROR admin login OK\""));
		assertThat(lines).noneMatch((line) -> line.startsWith("ERROR admin login OK"));
	}

}
