package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link LegacyCaleTimingEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.dialects.legacy.cale-paths=" + CaleClients.CALE_PATH, "cryo.endpoint-info-timeout=2s",
				"cryo.keep-alive-interval=300ms", "cryo.dialects.legacy.cale-failure-block=1s", "cryo.transport=netty", "cryo.port=0" })
class NettyLegacyCaleTimingEndToEndTests extends LegacyCaleTimingEndToEndTests {

}
