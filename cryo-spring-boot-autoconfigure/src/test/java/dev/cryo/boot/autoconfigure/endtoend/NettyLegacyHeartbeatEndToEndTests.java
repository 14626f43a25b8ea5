package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link LegacyHeartbeatEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.keep-alive-interval=300ms", "cryo.transport=netty", "cryo.port=0" })
class NettyLegacyHeartbeatEndToEndTests extends LegacyHeartbeatEndToEndTests {

}
