package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bearer token is never logged (DESIGN.md, Server), not even with Cryo's own logging at
 * DEBUG: accepted and refused upgrades, a validator that throws with the token in its message,
 * and the whole life of a session.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "logging.level.dev.cryo=debug")
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@Timeout(30)
class CryoTokenLoggingEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Test
	void tokenNeverAppearsInTheLogAtDebugLevel(CapturedOutput output) throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(Utf8DataFrame.of(sid, 1, "hello"));
			client.next(AckFrame.class);
			CryoClients.session(this.server, sid).close("done");
			client.awaitClose();
		}
		CryoClients.awaitGone(this.server, sid);
		refuse("authorization=Bearer+secretive&x-cryo-sid=1");
		refuse("authorization=Bearer+secret&x-cryo-sid=not-a-number");
		refuse("authorization=Bearer+" + CryoTestApplication.THROWING_TOKEN_PREFIX + "secret&x-cryo-sid=2");
		refuse("authorization=Basic+secret&x-cryo-sid=3");
		RawUpgradeRequest.send(this.port, CryoTestApplication.PATH + "?x-cryo-sid=4", Map.of("Authorization", "Bearer nosecret"));

		// Debug logging is really on, and the refusals and the validator failure were logged...
		assertThat(output.getAll()).contains("Refused Cryo upgrade from")
			.contains("Invalid bearer token in authorization query.")
			.contains("Cryo authentication threw java.lang.IllegalStateException")
			.contains("Cryo session " + sid.toString() + " closed");
		// ...without the token, the secret-looking wrong tokens, or the validator's message.
		assertThat(output.getAll()).doesNotContainIgnoringCase("secret")
			.doesNotContain("Validator exploded");
	}

	private void refuse(String query) throws IOException {
		assertThat(RawUpgradeRequest.send(this.port, CryoTestApplication.PATH + "?" + query, Map.of()).status())
			.isEqualTo(401);
	}

}
