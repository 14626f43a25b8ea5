package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

import dev.cryo.core.SessionId;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secure by default (DESIGN.md, Boot glue): an application without a TokenValidator bean starts,
 * refuses every upgrade with 401 and says why once. Also mounts the endpoint at a custom path.
 */
@SpringBootTest(classes = CryoWithoutTokenValidatorEndToEndTests.NoValidatorApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cryo.path=/realtime")
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@Timeout(30)
class CryoWithoutTokenValidatorEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Test
	void everyUpgradeIsRefusedWithInvalidBearerTokenAndOneWarningSaysWhy(CapturedOutput output) throws IOException {
		for (String token : new String[] { "secret", "anything", "x" }) {
			Response response = RawUpgradeRequest.send(this.port,
					"/realtime?authorization=Bearer+" + token + "&x-cryo-sid=" + RawFrames.newSid().toString(),
					Map.of());
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.body()).endsWith("Invalid bearer token in authorization query.</p></body></html>");
		}
		assertThat(output.getAll().split("No TokenValidator bean", -1)).hasSize(2);
	}

	@Test
	void endpointAnswersOnlyAtTheConfiguredPath() throws IOException {
		Response response = RawUpgradeRequest.send(this.port,
				"/cryo?authorization=Bearer+secret&x-cryo-sid=" + RawFrames.newSid().toString(), Map.of());
		assertThat(response.status()).isNotIn(101, 401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class NoValidatorApplication {

	}

}
